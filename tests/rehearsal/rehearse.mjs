#!/usr/bin/env node
// Rehearsal gate: would the state machines behave on AWS as intended? Each state machine of the templates runs in a
// real ASL interpreter (aws-local-stepfunctions 3.0.0) against a mock AWS account, through scenarios that say what
// AWS would end with.
//   1. Definitions are rendered with realistic deploy-time values (ARNs, subnet-0…, sg-0…, imports through the
//      exporting template's Outputs), so requests carry what AWS's API models accept.
//   2. A definition that uses a construct the interpreter does not run as AWS does (INTERPRETER.md) fails the gate:
//      a rehearsal of it would prove nothing.
//   3. Every Task is answered by a mock of its integration that validates the request against the operation's API
//      model (models/, from botocore) and AWS's documented rules, answers with the documented response shape
//      (validated against the model too), and fails with the error names Step Functions uses. Every call is also
//      checked against the state machine role's policies (iam/iam.mjs) when that check is available.
//   4. Scenarios (lib/scenarios.mjs) assert the end state, the calls that matter and every SNS notification.
// Waits and retry intervals are zero: both profiles rehearse in seconds.
//
// Usage:
//   node tests/rehearsal/rehearse.mjs --report <report.json> [--today yyyy-MM-dd] [--readme README.md] <template.json> [...]
// Give every template the state machines import from (the gate resolves Fn::ImportValue through them).
// Exit codes: 0 pass, 1 findings, 2 usage or tool failure (message on stderr).

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { World, stackEvent } from './lib/aws.mjs';
import { execute } from './lib/interpreter.mjs';
import { permissionCheckStatus } from './lib/permissions.mjs';
import { deliver, driftScenarios, genericScenarios, judge, parameterValue, promoteScenarios, readmeInputs, trainScenarios, workflowKind } from './lib/scenarios.mjs';
import { ACCOUNT, REGION, ToolError, lambdaFunctions, loadTemplates, makeResolver, readJson, stateMachines } from './lib/templates.mjs';
import { unreliableConstructs } from './lib/unreliable.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_TOOL = 2;
const USAGE = 'usage: node tests/rehearsal/rehearse.mjs --report <report.json> [--today yyyy-MM-dd] [--readme README.md] <template.json> [...]';

function parseArgs(argv) {
  const opts = { report: undefined, today: undefined, readme: path.resolve(HERE, '..', '..', 'README.md'), templates: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--report' || a === '--today' || a === '--readme') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ToolError(`${a} needs a value\n${USAGE}`);
      opts[a.slice(2)] = v;
    } else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE + '\n');
      process.exit(EXIT_PASS);
    } else if (a.startsWith('-')) {
      throw new ToolError(`unknown option ${a}\n${USAGE}`);
    } else opts.templates.push(a);
  }
  if (!opts.report) throw new ToolError(`--report is required\n${USAGE}`);
  if (opts.templates.length === 0) throw new ToolError(`at least one template is required\n${USAGE}`);
  opts.today ??= new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.today)) throw new ToolError(`--today must be yyyy-MM-dd, got ${opts.today}`);
  return opts;
}

// ---------------------------------------------------------------- the account of a rehearsal
function accountOf(entries, resolver) {
  const ofType = (type, attr) => entries.flatMap((e) => Object.entries(e.tpl.Resources).filter(([, r]) => r?.Type === type).map(([id]) => resolver.resource(e, id, attr)));
  return {
    functions: lambdaFunctions(entries, resolver),
    stacks: entries.map((e) => ({ stackId: resolver.pseudo(e, 'AWS::StackId'), stackName: e.stackName, template: e.tpl })),
    groups: ofType('AWS::SageMaker::ModelPackageGroup', 'ModelPackageGroupName'),
    topics: ofType('AWS::SNS::Topic', 'Ref'),
  };
}

// The EventBridge rules that start a state machine, rendered.
function rulesFor(machine, entries, resolver) {
  const out = [];
  for (const e of entries) {
    for (const [id, r] of Object.entries(e.tpl.Resources)) {
      if (r?.Type !== 'AWS::Events::Rule' || !r.Properties?.EventPattern) continue;
      // Only the rules that target this machine are rendered: the others may name resources the rehearsal does not model.
      const targets = (r.Properties.Targets ?? []).map((t) => ({ ...t, Arn: resolver.value(e, t.Arn) }));
      if (!targets.some((t) => t.Arn === machine.arn)) continue;
      out.push({ logicalId: id, ...resolver.value(e, r.Properties), machineArn: machine.arn });
    }
  }
  return out;
}

// The branch a Choice on the run input's `tuning` takes by default: does the machine tune unless told otherwise?
function tunesByDefault(definition) {
  for (const s of Object.values(definition.States)) {
    if (s.Type !== 'Choice' || !JSON.stringify(s.Choices).includes('$.request.tuning')) continue;
    return /createHyperParameterTuningJob/.test(definition.States[s.Default]?.Resource ?? '');
  }
  return false;
}

function contextFor(machine, kind, entries, resolver, readme) {
  const def = machine.definition;
  if (kind === 'train') {
    return {
      group: parameterValue(def, 'ModelPackageGroupName'),
      tuneByDefault: tunesByDefault(def),
      scheduleName: crypto.randomUUID(),
      readme,
    };
  }
  if (kind === 'promote') {
    const stackId = parameterValue(def, 'StackName');
    const served = entries.find((e) => resolver.pseudo(e, 'AWS::StackId') === stackId);
    if (!served) throw new ToolError(`${machine.logicalId} updates stack ${stackId}, which no template given to the gate is: pass the serving template`);
    const params = Object.entries(served.tpl.Parameters ?? {});
    const parameter = params.find(([, p]) => /model-package/.test(p.AllowedPattern ?? ''))?.[0] ?? 'ModelPackageArn';
    return {
      group: parameterValue(def, 'ModelPackageGroupName'),
      stackId,
      parameter,
      exampleEvent: readJson(path.join(HERE, 'fixtures', 'sagemaker-model-package-state-change.json')),
      rules: rulesFor(machine, entries, resolver),
      readme,
    };
  }
  if (kind === 'drift') {
    // The served package is the serving stack's parameter, rendered into the definition: by default "" (nothing
    // served); rendered a second time with the first version of the group, the ARN World.addModelPackage gives it.
    const groups = accountGroups(entries, resolver);
    if (groups.length !== 1) throw new ToolError(`${machine.logicalId}: the drift workflow's served package belongs to the model package group, and the templates have ${groups.length}`);
    const params = Object.entries(machine.entry.tpl.Parameters ?? {});
    const parameter = params.find(([, p]) => /model-package/.test(p.AllowedPattern ?? ''))?.[0] ?? 'ModelPackageArn';
    const servedArn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model-package/${groups[0].toLowerCase()}/1`;
    const served = stateMachines(entries, makeResolver(entries, { parameters: { [parameter]: servedArn } })).find((m) => m.entry === machine.entry && m.logicalId === machine.logicalId);
    const fn = [...lambdaFunctions(entries, resolver).values()].find((f) => f.handler === 'Pipeline.Drift');
    return {
      group: groups[0],
      parameter,
      servedArn,
      servedDefinition: served.definition,
      environment: fn?.environment ?? {},
      scheduleInput: scheduleInput(machine, entries, resolver),
      readme,
    };
  }
  return {};
}

function accountGroups(entries, resolver) {
  return entries.flatMap((e) => Object.entries(e.tpl.Resources).filter(([, r]) => r?.Type === 'AWS::SageMaker::ModelPackageGroup').map(([id]) => resolver.resource(e, id, 'ModelPackageGroupName')));
}

// The Input a schedule rule (ScheduleExpression) gives the state machine, parsed; {} when no rule says.
function scheduleInput(machine, entries, resolver) {
  for (const e of entries) {
    for (const r of Object.values(e.tpl.Resources)) {
      if (r?.Type !== 'AWS::Events::Rule' || !r.Properties?.ScheduleExpression) continue;
      const target = (r.Properties.Targets ?? []).find((t) => resolver.value(e, t.Arn) === machine.arn);
      if (target) return target.Input !== undefined ? JSON.parse(resolver.value(e, target.Input)) : {};
    }
  }
  return {};
}

// ---------------------------------------------------------------- one scenario
async function runScenario(machine, scenario, ctx, shared) {
  const started = performance.now();
  const world = new World({ account: ACCOUNT, region: REGION, today: shared.today, ...shared.account });
  const state = scenario.setup ? scenario.setup(world) ?? {} : {};
  const expect = typeof scenario.expect === 'function' ? scenario.expect(state) : scenario.expect;
  const problems = [];
  let executions;
  let delivery;
  if (scenario.event) {
    const event = scenario.event(state, world);
    const rule = ctx.rules?.[0];
    if (!rule) problems.push('no EventBridge rule starts this state machine');
    else {
      delivery = deliver(rule, event);
      if (delivery.matched !== expect.matched) problems.push(`the rule ${rule.logicalId} ${delivery.matched ? 'matches' : 'does not match'} the event; expected it ${expect.matched ? 'to match' : 'not to'}`);
    }
    executions = delivery?.matched && delivery.input !== undefined ? [{ name: crypto.randomUUID(), input: delivery.input }] : [];
  } else if (scenario.executions) executions = scenario.executions(state);
  else {
    const input = typeof scenario.input === 'function' ? scenario.input(state) : scenario.input;
    executions = [{ name: scenario.executionName ?? `rehearsal-${scenario.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60)}`, input }];
  }
  // A scenario may run a second rendering of the definition (the drift workflow with a served package).
  const definition = scenario.rendering === 'served' ? ctx.servedDefinition : machine.definition;
  const startTime = (typeof scenario.startTime === 'function' ? scenario.startTime(state) : scenario.startTime) ?? shared.startTime;
  const results = await Promise.all(executions.map(async (x) => {
    const execution = { name: x.name, id: `arn:aws:states:${REGION}:${ACCOUNT}:execution:${machine.name}:${x.name}`, roleArn: machine.roleArn, startTime };
    const r = await execute(definition, x.input, { handler: world.handlerFor(machine, execution, shared), execution });
    return { name: x.name, input: x.input, ...r };
  }));
  if (world.internalErrors.length) throw new ToolError(`${machine.logicalId}, scenario "${scenario.name}": the rehearsal failed: ${world.internalErrors.join('; ')}`);
  if (!scenario.event || executions.length) problems.push(...judge(expect, results, world));
  const findings = world.findings.map(({ kind, key, state: st, message }) => ({ kind, key, state: st, message }));
  return {
    name: scenario.name,
    // Permissions are judged per state machine (findings), not per scenario: a scenario judges behaviour.
    passed: problems.length === 0 && findings.every((f) => f.kind === 'permission'),
    problems,
    findings,
    ...(delivery ? { event: { matched: delivery.matched, input: delivery.input ?? null } } : {}),
    executions: results.map((r) => ({ name: r.name, input: r.input, status: r.status, error: r.error ?? null, cause: r.cause ?? null, visited: r.visited, retried: r.retried })),
    notifications: world.published.map(({ subject, message }) => ({ subject, message })),
    calls: world.calls.map((c) => `${c.state} ${c.operation}${c.fault ? ' (fault)' : c.error ? ` (${c.error})` : ''}`),
    ms: Math.round(performance.now() - started),
  };
}

// ---------------------------------------------------------------- one state machine
async function rehearseMachine(machine, entries, resolver, shared) {
  const kind = workflowKind(machine.definition, shared.account.functions);
  const unreliable = unreliableConstructs(machine.definition);
  const ctx = contextFor(machine, kind, entries, resolver, shared.readme);
  if (kind === 'drift') {
    const start = Date.parse(shared.startTime);
    Object.assign(ctx, {
      startTime: shared.startTime,
      scheduleName: crypto.randomUUID(),
      chosenWindowEnd: new Date(start - (start % 3600000) - 86400000 + 12 * 3600000).toISOString().replace('.000Z', 'Z'),
      futureWindowEnd: new Date(start - (start % 3600000) + 3600000).toISOString().replace('.000Z', 'Z'),
    });
  }
  const scenarios = kind === 'train' ? trainScenarios(ctx) : kind === 'promote' ? promoteScenarios(ctx) : kind === 'drift' ? driftScenarios(ctx) : genericScenarios();
  const results = [];
  for (const s of scenarios) results.push(await runScenario(machine, s, ctx, shared));
  const findings = dedupe(results.flatMap((r) => r.findings));
  for (const r of results) r.findings = r.findings.filter((f) => f.kind !== 'permission').map(({ key, ...f }) => f);
  return {
    template: machine.entry.path,
    stack: machine.entry.stackName,
    stateMachine: machine.logicalId,
    kind,
    ...(kind === 'train' ? { tunesByDefault: ctx.tuneByDefault } : {}),
    ...(kind === 'drift' ? { servedRendering: { parameter: ctx.parameter, value: ctx.servedArn } } : {}),
    unreliable,
    findings,
    scenarios: results,
    passed: unreliable.length === 0 && findings.length === 0 && results.every((r) => r.passed),
  };
}

function dedupe(findings) {
  const seen = new Map();
  for (const f of findings) {
    const key = `${f.kind}\u0000${f.state}\u0000${f.key}`;
    if (!seen.has(key)) seen.set(key, f);
  }
  return [...seen.values()].map(({ key, ...f }) => f);
}

// ---------------------------------------------------------------- summary
const oneLine = (s) => String(s).replace(/\s+/g, ' ');
export function summaryText(report) {
  const lines = [];
  for (const w of report.workflows) {
    lines.push(`=== ${w.stack}/${w.stateMachine} (${w.kind})  [${w.passed ? 'PASS' : 'FAIL'}]  ${w.template}`);
    if (w.kind === 'train') lines.push(`  tunes by default: ${w.tunesByDefault ? 'yes' : 'no'}`);
    if (w.kind === 'drift') lines.push(`  served rendering: ${w.servedRendering.parameter} = ${w.servedRendering.value}`);
    lines.push(`  interpreter: ${w.unreliable.length ? `${w.unreliable.length} construct(s) it does not run as AWS does (INTERPRETER.md); remove them from the definition:` : 'no unreliable construct'}`);
    for (const u of w.unreliable) lines.push(`    UNRELIABLE  ${u.state}.${u.field}  ${oneLine(u.message)}`);
    lines.push(`  scenarios: ${w.scenarios.filter((s) => s.passed).length} passed, ${w.scenarios.filter((s) => !s.passed).length} failed`);
    for (const s of w.scenarios) {
      const ends = s.executions.map((e) => (e.status === 'FAILED' ? `FAILED ${e.error}` : e.status)).join(', ') || (s.event ? `event ${s.event.matched ? 'matched' : 'not matched'}` : 'no execution');
      lines.push(`    ${s.passed ? 'PASS' : 'FAIL'}  ${s.name}  (${ends}; ${s.notifications.length} notification(s); ${s.ms} ms)`);
      for (const p of s.problems) lines.push(`          - ${oneLine(p)}`);
      for (const f of s.findings.filter((x) => x.kind !== 'permission')) lines.push(`          - ${f.kind.toUpperCase()} ${f.state}: ${oneLine(f.message)}`);
    }
    if (w.findings.length) {
      lines.push('  findings (requests AWS would refuse, answers AWS would not give, permissions):');
      for (const f of w.findings) lines.push(`    ${f.kind.toUpperCase().padEnd(11)} ${f.state}  ${oneLine(f.message)}`);
    }
  }
  const t = report.totals;
  lines.push('');
  lines.push(`=== TOTAL: ${t.templates} template(s), ${t.stateMachines} state machine(s), ${t.scenarios} scenario(s) in ${t.ms} ms, interpreter aws-local-stepfunctions ${report.tools.interpreter}, today ${report.today}`);
  lines.push(`  scenarios: ${t.scenariosPassed} passed, ${t.scenariosFailed} failed; unreliable constructs: ${t.unreliable}; findings: ${t.findings} (${Object.entries(t.findingsByKind).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'})`);
  lines.push(`  permission check: ${report.permissionCheck.available ? 'tests/rehearsal/iam/iam.mjs' : report.permissionCheck.reason}`);
  lines.push(`  RESULT: ${report.passed ? 'PASS' : 'FAIL'} (exit ${report.exitCode})`);
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- main
/** Every execution's $$.Execution.StartTime: --today at 00:30:00.000Z (the drift schedule's hour), deterministic. */
export const startTimeOf = (today) => `${today}T00:30:00.000Z`;

/** Rehearses every state machine of `files`; returns the report. */
export async function rehearse(files, { today = new Date().toISOString().slice(0, 10), readme = path.resolve(HERE, '..', '..', 'README.md') } = {}) {
  const started = performance.now();
  for (const f of files) if (!fs.existsSync(f)) throw new ToolError(`template not found: ${f}`);
  const readmeEntries = readmeInputs(readme);
  // Each folder is one cloud assembly (one profile): its templates are one account's stacks.
  const byFolder = new Map();
  for (const f of files) byFolder.set(path.dirname(path.resolve(f)), [...(byFolder.get(path.dirname(path.resolve(f))) ?? []), f]);
  const workflows = [];
  let templates = 0;
  let machineCount = 0;
  for (const group of byFolder.values()) {
    const entries = loadTemplates(group);
    const resolver = makeResolver(entries);
    const machines = stateMachines(entries, resolver);
    templates += entries.length;
    machineCount += machines.length;
    const shared = { today, startTime: startTimeOf(today), readme: readmeEntries, account: accountOf(entries, resolver), templates: entries, resolver };
    for (const m of machines) workflows.push(await rehearseMachine(m, entries, resolver, shared));
  }
  const scenarios = workflows.flatMap((w) => w.scenarios);
  const findings = workflows.flatMap((w) => w.findings);
  const totals = {
    templates,
    stateMachines: machineCount,
    scenarios: scenarios.length,
    scenariosPassed: scenarios.filter((s) => s.passed).length,
    scenariosFailed: scenarios.filter((s) => !s.passed).length,
    unreliable: workflows.reduce((n, w) => n + w.unreliable.length, 0),
    findings: findings.length,
    findingsByKind: findings.reduce((o, f) => ({ ...o, [f.kind]: (o[f.kind] ?? 0) + 1 }), {}),
    ms: Math.round(performance.now() - started),
  };
  const passed = machineCount > 0 && workflows.every((w) => w.passed);
  return {
    schemaVersion: 1,
    passed,
    exitCode: passed ? EXIT_PASS : EXIT_FAIL,
    today,
    account: ACCOUNT,
    region: REGION,
    tools: { interpreter: readJson(path.resolve(HERE, '..', '..', 'node_modules', 'aws-local-stepfunctions', 'package.json')).version },
    permissionCheck: permissionCheckStatus(),
    totals,
    workflows,
  };
}

export async function main(argv) {
  const opts = parseArgs(argv);
  const report = await rehearse(opts.templates, { today: opts.today, readme: opts.readme });
  fs.mkdirSync(path.dirname(path.resolve(opts.report)), { recursive: true });
  fs.writeFileSync(opts.report, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(summaryText(report));
  return report.exitCode;
}

export { stackEvent };

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  // process.exit() drops what a piped stdout has not taken yet; exit once it has.
  main(process.argv.slice(2)).then(
    (code) => process.stdout.write('', () => process.exit(code)),
    (e) => {
      process.stderr.write(e instanceof ToolError ? `rehearse: error: ${e.message}\n` : `rehearse: internal error: ${e?.stack ?? e}\n`);
      process.exit(EXIT_TOOL);
    },
  );
}
