// EventBridge as far as a rule delivers an event to a state machine: event pattern matching (EventBridge User Guide,
// "Amazon EventBridge event patterns" and "Content filtering": exact values, prefix, suffix, anything-but,
// equals-ignore-case, wildcard, numeric, exists) and the target's Input / InputPath / InputTransformer.

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// One pattern value (a literal or a content filter) against one event value.
function matchesValue(filter, value) {
  if (!isObject(filter)) return filter === value;
  const [op, arg] = Object.entries(filter)[0];
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && (isObject(arg) ? value.toLowerCase().startsWith(arg['equals-ignore-case'].toLowerCase()) : value.startsWith(arg));
    case 'suffix':
      return typeof value === 'string' && (isObject(arg) ? value.toLowerCase().endsWith(arg['equals-ignore-case'].toLowerCase()) : value.endsWith(arg));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === arg.toLowerCase();
    case 'anything-but':
      if (Array.isArray(arg)) return !arg.includes(value);
      if (isObject(arg)) return !matchesValue(arg, value);
      return value !== arg;
    case 'wildcard': {
      if (typeof value !== 'string') return false;
      const re = new RegExp(`^${arg.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
      return re.test(value);
    }
    case 'numeric': {
      if (typeof value !== 'number') return false;
      for (let i = 0; i < arg.length; i += 2) {
        const [cmp, n] = [arg[i], arg[i + 1]];
        const ok = { '<': value < n, '<=': value <= n, '=': value === n, '>': value > n, '>=': value >= n }[cmp];
        if (!ok) return false;
      }
      return true;
    }
    default:
      throw new Error(`EventBridge content filter ${op} is not implemented by the rehearsal`);
  }
}

/** Whether `event` matches `pattern` (an object whose leaves are arrays of allowed values or content filters). */
export function matchesPattern(pattern, event) {
  for (const [key, expected] of Object.entries(pattern)) {
    const actual = event?.[key];
    if (Array.isArray(expected)) {
      const exists = expected.find((f) => isObject(f) && 'exists' in f);
      if (exists) {
        if ((actual !== undefined) !== exists.exists) return false;
        continue;
      }
      const values = Array.isArray(actual) ? actual : [actual];
      if (actual === undefined || !values.some((v) => expected.some((f) => matchesValue(f, v)))) return false;
    } else if (isObject(expected)) {
      if (!isObject(actual) || !matchesPattern(expected, actual)) return false;
    } else {
      throw new Error(`event pattern value for ${key} must be an array or an object`);
    }
  }
  return true;
}

// A simple JSONPath ($.a.b, $.a[0]) over the event, as InputPath and InputPathsMap use.
function pick(event, p) {
  if (p === '$') return event;
  return p.replace(/^\$\.?/, '').split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), event);
}

/** The execution input a rule target builds from an event (Input, InputPath or InputTransformer; else the event). */
export function targetInput(target, event) {
  if (target.Input !== undefined) return JSON.parse(target.Input);
  if (target.InputPath !== undefined) return pick(event, target.InputPath);
  const t = target.InputTransformer;
  if (!t) return event;
  const values = Object.fromEntries(Object.entries(t.InputPathsMap ?? {}).map(([k, p]) => [k, pick(event, p)]));
  // A placeholder inside a JSON string takes the value's text; outside strings its JSON (a string gets its quotes).
  let text = '';
  let inString = false;
  const template = t.InputTemplate;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    const m = c === '<' ? /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(i)) : null;
    if (m && (m[1] in values || m[1] === 'aws.events.event.json')) {
      const v = m[1] === 'aws.events.event.json' ? event : values[m[1]];
      text += inString ? JSON.stringify(typeof v === 'string' ? v : JSON.stringify(v) ?? '').slice(1, -1) : v === undefined ? 'null' : JSON.stringify(v);
      i += m[0].length - 1;
      continue;
    }
    if (c === '\\' && inString) {
      text += c + template[++i];
      continue;
    }
    if (c === '"') inString = !inString;
    text += c;
  }
  return JSON.parse(text);
}
