// Constructs the interpreter does not run as AWS does (INTERPRETER.md). A rehearsal of a definition that uses one
// would pass or fail for the interpreter's reasons, not AWS's, so the gate refuses such a definition instead of
// rehearsing around it. Each finding names the state, the field and the entry of INTERPRETER.md that explains it.

// JSON paths and intrinsic functions in the places ASL evaluates them.
const PATH_FIELDS = ['InputPath', 'OutputPath', 'ResultPath', 'ItemsPath', 'CausePath', 'ErrorPath', 'SecondsPath', 'TimestampPath', 'MaxConcurrencyPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath'];
const TEMPLATE_FIELDS = ['Parameters', 'ResultSelector', 'ItemSelector'];
const KNOWN_CONTEXT = /^\$\$\.Execution\.(Input|Name|Id|RoleArn|StartTime)\b|^\$\$\.Map\.Item\.(Value|Index)\b/;
const SUPPORTED_STATE_FIELDS = new Set([
  'Type', 'Comment', 'Next', 'End', 'InputPath', 'OutputPath', 'Parameters', 'ResultSelector', 'ResultPath', 'Retry', 'Catch',
  'Resource', 'TimeoutSeconds', 'Result', 'Choices', 'Default', 'Branches', 'ItemsPath', 'ItemSelector', 'ItemProcessor', 'Iterator',
  'MaxConcurrency', 'MaxConcurrencyPath', 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath', 'Error', 'Cause', 'ErrorPath', 'CausePath',
]);

// Every JSONPath or intrinsic expression of a payload template, with where it is.
function* templateExpressions(node, at) {
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) yield* templateExpressions(v, `${at}[${i}]`);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k.endsWith('.$') && typeof v === 'string') yield { at: `${at}.${k}`, expr: v };
      else yield* templateExpressions(v, `${at}.${k}`);
    }
  }
}

function* choiceVariables(rules, at) {
  for (const [i, r] of (rules ?? []).entries()) {
    const here = `${at}[${i}]`;
    if (typeof r.Variable === 'string') yield { at: `${here}.Variable`, expr: r.Variable };
    for (const [k, v] of Object.entries(r)) if (k.endsWith('Path') && typeof v === 'string') yield { at: `${here}.${k}`, expr: v };
    if (r.And) yield* choiceVariables(r.And, `${here}.And`);
    if (r.Or) yield* choiceVariables(r.Or, `${here}.Or`);
    if (r.Not) yield* choiceVariables([r.Not], `${here}.Not`);
  }
}

// Every $-path inside an expression (an intrinsic's arguments included).
const pathsIn = (expr) => expr.match(/\${1,2}(\.[A-Za-z0-9_]+|\[[^\]]*\]|\.\*|\['[^']*'\])*/g) ?? [];

/** Findings for one definition: [{ state, field, construct, message }]. */
export function unreliableConstructs(definition, scope = { inBranch: false }) {
  const out = [];
  const add = (state, field, construct, message) => out.push({ state, field, construct, message });
  if (definition.QueryLanguage === 'JSONata') add('(machine)', 'QueryLanguage', 'jsonata', 'JSONata is not interpreted by aws-local-stepfunctions 3.0.0');
  for (const [name, s] of Object.entries(definition.States ?? {})) {
    for (const field of Object.keys(s)) {
      if (!SUPPORTED_STATE_FIELDS.has(field)) add(name, field, 'unsupported-field', `${field} is ignored by the interpreter (it runs the state as if it were absent)`);
    }
    if (s.Type === 'Pass' && 'Result' in s && !s.Result) {
      add(name, 'Result', 'falsy-pass-result', `"Result": ${JSON.stringify(s.Result)} is treated as absent: the interpreter outputs the state's input where AWS outputs ${JSON.stringify(s.Result)}`);
    }
    if (s.ResultPath === '$') add(name, 'ResultPath', 'result-path-root', '"ResultPath": "$" writes a field named "$" in the interpreter; AWS replaces the whole input');
    const expressions = [
      ...PATH_FIELDS.filter((f) => typeof s[f] === 'string').map((f) => ({ at: f, expr: s[f] })),
      ...TEMPLATE_FIELDS.flatMap((f) => [...templateExpressions(s[f], f)]),
      ...choiceVariables(s.Choices, 'Choices'),
    ];
    for (const { at, expr } of expressions) {
      if (/\[\?\(/.test(expr)) {
        add(name, at, 'filter-expression', `${expr}: a JSONPath filter that matches nothing raises States.Runtime in the interpreter; AWS yields []`);
      }
      for (const p of pathsIn(expr)) {
        if (!p.startsWith('$$')) continue;
        if (!KNOWN_CONTEXT.test(p)) add(name, at, 'context-field', `${p}: the interpreter's Context object has only Execution.Input/Name/Id/RoleArn/StartTime and Map.Item in an ItemSelector`);
        else if (scope.inBranch && p.startsWith('$$.Execution')) add(name, at, 'context-in-branch', `${p} inside a Parallel branch or Map iteration is the branch's input in the interpreter, the execution's in AWS`);
        else if (p.startsWith('$$.Map') && at.split('.')[0] !== 'ItemSelector') add(name, at, 'context-field', `${p} outside a Map state's ItemSelector has no value in the interpreter`);
      }
    }
    for (const b of s.Branches ?? []) out.push(...unreliableConstructs(b, { inBranch: true }));
    if (s.ItemProcessor ?? s.Iterator) {
      const p = s.ItemProcessor ?? s.Iterator;
      if (p.ProcessorConfig?.Mode === 'DISTRIBUTED') add(name, 'ItemProcessor.ProcessorConfig', 'distributed-map', 'a distributed Map is run as an inline one');
      out.push(...unreliableConstructs(p, { inBranch: true }));
    }
  }
  return out;
}
