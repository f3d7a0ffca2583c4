// The ASL interpreter: aws-local-stepfunctions 3.0.0 with every Task overridden by a local handler, every Wait and
// retry interval set to zero (a rehearsal of a three-hour promotion takes milliseconds), and a Context object with the
// execution's name, id and role. Its departures from AWS are listed in INTERPRETER.md; lib/unreliable.mjs refuses the
// definitions that would meet them.

// aws-local-stepfunctions declares Node >= 22 for Promise.withResolvers (Node 22); this machine runs Node 20.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  };
}

const { StateMachine, ExecutionError } = await import('aws-local-stepfunctions');

const MAX_STATES = 5000;

// The interpreter writes Execution.StartTime itself, `new Date().toISOString()`, after the context the caller gives
// (StateMachine.execute), synchronously inside run(). So `new Date()` without arguments is the execution's start time
// for the duration of that synchronous call, and the real Date again before run() returns: $$.Execution.StartTime is
// the gate's deterministic time.
function atStartTime(startTime, fn) {
  const RealDate = globalThis.Date;
  const fixed = RealDate.parse(startTime);
  if (Number.isNaN(fixed)) throw new Error(`execution start time ${startTime} is not a time`);
  class StartDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(fixed);
      else super(...args);
    }
  }
  globalThis.Date = StartDate;
  try {
    return fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

// Every state of a definition, branches and item processors included, by name (names are unique machine-wide).
export function allStates(definition, out = new Map()) {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    out.set(name, state);
    for (const branch of state.Branches ?? []) allStates(branch, out);
    if (state.ItemProcessor ?? state.Iterator) allStates(state.ItemProcessor ?? state.Iterator, out);
  }
  return out;
}

/**
 * Runs one execution. `handler(stateName, state, input)` answers every Task (throw an Error whose name is the Step
 * Functions error to fail it). Returns { status: 'SUCCEEDED'|'FAILED', output, error, cause, visited: [state names in
 * order of entry], events }.
 */
export async function execute(definition, input, { handler, execution }) {
  const states = allStates(definition);
  const tasks = Object.fromEntries([...states].filter(([, s]) => s.Type === 'Task').map(([name, s]) => [name, (taskInput) => handler(name, s, taskInput)]));
  const waits = Object.fromEntries([...states].filter(([, s]) => s.Type === 'Wait').map(([name]) => [name, 0]));
  const retries = Object.fromEntries([...states].filter(([, s]) => s.Retry).map(([name, s]) => [name, s.Retry.map(() => 0)]));
  // The deploy gate validates the ASL; validating again costs a schema compile per machine.
  const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
  const options = {
    overrides: { taskResourceLocalHandlers: tasks, waitTimeOverrides: waits, retryIntervalOverrides: retries },
    context: { Execution: { Id: execution.id, Name: execution.name, RoleArn: execution.roleArn, StartTime: execution.startTime } },
  };
  const run = execution.startTime === undefined ? machine.run(input, options) : atStartTime(execution.startTime, () => machine.run(input, options));
  const events = [];
  let entered = 0;
  let runaway = false;
  // AWS ends a Standard execution at 25,000 history events; with zero waits a loop that only a timeout would end
  // (TimeoutSeconds is wall-clock time in the interpreter) would run forever here.
  const collecting = (async () => {
    for await (const e of run.eventLogs) {
      events.push(e);
      if (e.type === 'StateEntered' && ++entered > MAX_STATES && !runaway) {
        runaway = true;
        run.abort();
      }
    }
  })();
  let result;
  try {
    result = { status: 'SUCCEEDED', output: await run.result };
  } catch (e) {
    const inner = e instanceof ExecutionError ? e.cause : e;
    result = runaway
      ? { status: 'FAILED', error: 'Rehearsal.TooManyStates', cause: `more than ${MAX_STATES} states entered: a loop that AWS would end only by the execution's history limit or timeout` }
      : { status: 'FAILED', error: inner?.name ?? 'Error', cause: typeof inner?.message === 'string' ? inner.message : String(inner) };
  }
  await collecting;
  const visited = events.filter((e) => e.type === 'StateEntered').map((e) => e.state.name);
  const retried = events.filter((e) => e.type === 'StateRetried').map((e) => e.state.name);
  return { ...result, visited, retried, events };
}
