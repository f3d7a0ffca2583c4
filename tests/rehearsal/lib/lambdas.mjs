// The pipeline's Lambda functions as their contracts say they answer (lambdas/Pipeline.PrepareRun/README.md and
// Function.cs, lambdas/Pipeline.Evaluate/README.md and Function.cs, src/Pipeline.Core/Training): the same members, the
// same decisions and reasons, configured by the function's environment from the template. S3 writes are recorded,
// not made. Input a function cannot accept throws InvalidEventException, as the real function posts it.

import * as crypto from 'node:crypto';

export class FunctionError extends Error {
  constructor(type, message) {
    super(message);
    this.errorType = type;
  }
}
const invalid = (message) => new FunctionError('InvalidEventException', message);

const EARLIEST = '2020-01-01'; // TelemetrySchema.EarliestEventTime
const DEFAULTS = { num_round: '200', max_depth: '5', eta: '0.2', subsample: '0.8', min_child_weight: '1', early_stopping_rounds: '20' };
const FIXED = { objective: 'binary:logistic', eval_metric: 'auc' };
const KINDS = {
  num_round: 'int', early_stopping_rounds: 'int', max_depth: 'int', max_leaves: 'int', max_bin: 'int', num_parallel_tree: 'int', seed: 'int', verbosity: 'int',
  eta: 'num', gamma: 'num', min_child_weight: 'num', max_delta_step: 'num', subsample: 'num', colsample_bytree: 'num', colsample_bylevel: 'num',
  colsample_bynode: 'num', lambda: 'num', alpha: 'num', scale_pos_weight: 'num', base_score: 'num', tree_method: 'word', grow_policy: 'word', sampling_method: 'word',
};
const FEATURES = ['product_quality_l', 'product_quality_m', 'product_quality_h', 'air_temperature_k', 'process_temperature_k', 'rotational_speed_rpm', 'torque_nm', 'tool_wear_min', 'vibration_mm_s'];
const sha8 = (s) => crypto.createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 8);
const sorted = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

// TrainingRunPlan.DeriveRunId
export function deriveRunId(executionName) {
  if (!executionName || executionName.length > 80 || /[\s\p{Cc}]/u.test(executionName)) {
    throw invalid(`Execution name '${executionName}' is not a Step Functions execution name; use 1 to 80 characters without white space or control characters.`);
  }
  let cleaned = '';
  for (const c of executionName) {
    if (/[A-Za-z0-9]/.test(c)) cleaned += c;
    else if (cleaned.length > 0 && !cleaned.endsWith('-')) cleaned += '-';
  }
  const text = cleaned.replace(/-+$/, '');
  if (text.length > 0 && text.length <= 48 && text === executionName) return text;
  const hash = sha8(executionName);
  const head = text.length > 39 ? text.slice(0, 39).replace(/-+$/, '') : text;
  return head.length === 0 ? `run-${hash}` : `${head}-${hash}`;
}

// TuningJobName.Derive
export function tuningJobName(prefix, runId) {
  const hash = sha8(runId);
  const room = 32 - prefix.length - 8 - 2;
  const head = (runId.length > room ? runId.slice(0, Math.max(room, 0)) : runId).replace(/-+$/, '');
  return head.length === 0 ? `${prefix}-${hash}` : `${prefix}-${head}-${hash}`;
}

function checkHyperparameter(name, value) {
  if (FIXED[name]) throw invalid(`Hyperparameter '${name}' is fixed by the pipeline (${name} = ${FIXED[name]}) and cannot be overridden. (Parameter 'overrides')`);
  const kind = KINDS[name];
  if (!kind) throw invalid(`Hyperparameter '${name}' is not one the pipeline lets you override; use one of: ${Object.keys(KINDS).sort().join(', ')}. (Parameter 'overrides')`);
  const ok = value.length > 0 && value.length <= 64 && (kind === 'int' ? /^[+-]?\d+$/.test(value) : kind === 'num' ? Number.isFinite(Number(value)) && value.trim() !== '' : /^[a-z_]+$/.test(value));
  if (!ok) throw invalid(`Hyperparameter '${name}' = '${value}' is not ${kind === 'int' ? 'an integer, e.g. 100' : kind === 'num' ? 'a finite number in invariant notation, e.g. 0.3' : 'a lowercase word, e.g. hist'}. (Parameter 'overrides')`);
  return value;
}

function stringMap(event, name) {
  const v = event[name];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw invalid(`${name} is ${JSON.stringify(v)}; expected an object of strings.`);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => {
    if (typeof x === 'string') return [k, x];
    if (typeof x === 'number') return [k, String(x)];
    throw invalid(`${name}.${k} is ${JSON.stringify(x)}; expected a string or a number.`);
  }));
}

function readWindow(event, today, lookbackDays) {
  const w = event.window;
  const yesterday = addDays(today, -1);
  if (w === undefined || w === null) {
    const from = addDays(yesterday, 1 - lookbackDays);
    return { from: from < EARLIEST ? EARLIEST : from, to: yesterday };
  }
  if (!isObject(w)) throw invalid(`window is ${JSON.stringify(w)}; expected null or an object {"from":"yyyy-MM-dd","to":"yyyy-MM-dd"}.`);
  for (const k of ['from', 'to']) {
    if (w[k] !== undefined && w[k] !== null && (typeof w[k] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(w[k]) || Number.isNaN(Date.parse(w[k])))) {
      throw invalid(`window.${k} is ${JSON.stringify(w[k])}; expected a date as yyyy-MM-dd.`);
    }
  }
  if (!w.from && !w.to) return readWindow({}, today, lookbackDays);
  if (!w.from || !w.to) throw invalid('A requested window needs both From and To (inclusive UTC dates); give both or neither for the default window.');
  if (w.from > w.to) throw invalid(`Requested window From ${w.from} is after To ${w.to}; swap them.`);
  if (w.to > today) throw invalid(`Requested window To ${w.to} is in the future; the latest date with data is today, ${today} (UTC).`);
  if (w.from < EARLIEST) throw invalid(`Requested window From ${w.from} is before the earliest event date ${EARLIEST} of schema 'telemetry'.`);
  return { from: w.from, to: w.to };
}

function config(env) {
  const need = (k) => {
    if (env[k] === undefined) throw new Error(`the function's environment has no ${k}`);
    return env[k];
  };
  return {
    bucket: need('LAKE_BUCKET'),
    database: env.GLUE_DATABASE,
    table: env.GLUE_TABLE ?? 'telemetry',
    lookbackDays: Number(env.LOOKBACK_DAYS),
    minimumRows: Number(env.MINIMUM_ROWS),
    minimumPositives: Number(env.MINIMUM_POSITIVES),
    scalePosWeight: env.SCALE_POS_WEIGHT,
    codeVersion: env.CODE_VERSION,
    tuned: (env.TUNED_HYPERPARAMETERS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    prefix: env.JOB_NAME_PREFIX ?? 'xgb',
  };
}

// Pipeline.PrepareRun, action "plan".
function plan(event, env, today) {
  const c = config(env);
  if (typeof event.executionName !== 'string' || !event.executionName) throw invalid('executionName is missing; expected the Step Functions execution name (from $$.Execution.Name).');
  const window = readWindow(event, today, c.lookbackDays);
  const overrides = stringMap(event, 'hyperparameters') ?? {};
  const configured = c.scalePosWeight && c.scalePosWeight !== 'auto' ? { scale_pos_weight: c.scalePosWeight } : {};
  const hyperparameters = sorted({ ...DEFAULTS, ...Object.fromEntries(Object.entries({ ...configured, ...overrides }).map(([k, v]) => [k, checkHyperparameter(k, v)])), ...FIXED });
  const runId = deriveRunId(event.executionName);
  const s3 = (key) => `s3://${c.bucket}/${key}`;
  const from = `"${c.database}"."${c.table}"`;
  const where = `"event_date" BETWEEN '${window.from}' AND '${window.to}'`;
  const unload = (prefix, what) => `UNLOAD (SELECT ${what} FROM ${from} WHERE ${where}) TO '${s3(prefix)}' WITH (format = 'TEXTFILE', field_delimiter = ',', compression = 'NONE')`;
  return {
    runId,
    executionName: event.executionName,
    trainingJobName: `${c.prefix}-${runId}`,
    tuningJobName: tuningJobName(c.prefix, runId),
    codeVersion: c.codeVersion,
    window,
    queries: {
      count: `SELECT count(*) AS "rows", count_if("machine_failure") AS "positives"\nFROM ${from}\nWHERE ${where}`,
      train: unload(`training/${runId}/train/`, 'train rows'),
      validation: unload(`training/${runId}/validation/`, 'validation rows'),
    },
    s3: {
      train: s3(`training/${runId}/train/`),
      validation: s3(`training/${runId}/validation/`),
      model: s3(`models/${runId}/`),
      checkpoint: s3(`models/${runId}/checkpoints/`),
      evaluation: s3(`models/${runId}/evaluation.json`),
      modelQuality: s3(`models/${runId}/model-quality.json`),
      manifest: s3(`models/${runId}/manifest.json`),
    },
    hyperparameters,
    featureNames: FEATURES,
  };
}

function count(event, name) {
  const v = event[name];
  const expected = `the count query's ${name} as a whole number, 0 or more (Athena GetQueryResults' VarCharValue, e.g. "12345")`;
  if (v === undefined || v === null) throw invalid(`${name} is missing; expected ${expected}.`);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  throw invalid(typeof v === 'string' ? `${name} is '${v}'; expected ${expected}.` : `${name} is ${JSON.stringify(v)}; expected ${expected}.`);
}

// PrepareRun.FormatScalePosWeight: four significant digits, invariant, no exponent.
export function formatScalePosWeight(negatives, positives) {
  const ratio = negatives / positives;
  const magnitude = ratio > 0 ? Math.floor(Math.log10(ratio)) : 0;
  const decimals = Math.min(Math.max(3 - magnitude, 0), 15);
  const f = 10 ** decimals;
  return String(Math.round(ratio * f) / f);
}

// Pipeline.PrepareRun, action "decide".
function decide(event, env, today) {
  const c = config(env);
  const rows = count(event, 'rows');
  const positives = count(event, 'positives');
  const hyperparameters = stringMap(event, 'hyperparameters');
  if (!hyperparameters) throw invalid('hyperparameters is missing; expected the plan\'s "hyperparameters" object (string values).');
  const window = readWindow(event, today, c.lookbackDays);
  if (positives > rows) throw invalid(`Counts rows=${rows}, positives=${positives} are impossible; expected 0 <= positives <= rows. (Parameter 'rows')`);
  const negatives = rows - positives;
  const at = `in ${window.from} to ${window.to}`;
  let problem;
  if (rows < c.minimumRows) problem = `Only ${rows} records ${at}; at least ${c.minimumRows} are needed to train.`;
  else if (positives < c.minimumPositives) problem = `Only ${positives} positive labels (of ${rows} records) ${at}; at least ${c.minimumPositives} are needed to train.`;
  else if (negatives < 1) problem = `All ${rows} records ${at} are positive; AUC needs at least one negative label.`;
  const proceed = !problem;
  const result = sorted({ ...hyperparameters });
  if (proceed && c.scalePosWeight === 'auto' && result.scale_pos_weight === undefined) result.scale_pos_weight = formatScalePosWeight(negatives, positives);
  const all = sorted(result);
  return {
    proceed,
    reason: problem ?? `${rows} records with ${positives} positive and ${negatives} negative labels ${at}: enough to train (minimums ${c.minimumRows} records, ${c.minimumPositives} positives).`,
    hyperparameters: all,
    staticHyperparameters: Object.fromEntries(Object.entries(all).filter(([k]) => !c.tuned.includes(k))),
  };
}

const formatAuc = (x) => String(x);
const sanitize = (v) => (v ? [...v.slice(0, 256)].map((ch) => (/[\p{L}\p{Z}\p{N}_.:/=+\-@]/u.test(ch) ? ch : '_')).join('') : 'none');

// Pipeline.Evaluate (EvaluationGate.Evaluate and the response Function.Handle writes).
function evaluate(event, env, _today, s3Writes) {
  const minimum = Number(env.MINIMUM_AUC);
  const tolerance = Number(env.REGRESSION_TOLERANCE);
  const bucket = env.LAKE_BUCKET;
  const job = event.trainingJob;
  if (!isObject(job)) throw invalid('trainingJob is missing; expected the DescribeTrainingJob response (the createTrainingJob.sync task\'s output).');
  for (const k of ['TrainingJobName', 'TrainingJobStatus']) {
    if (typeof job[k] !== 'string' || !job[k]) throw invalid(`trainingJob: DescribeTrainingJob response: ${k} is missing or empty.`);
  }
  let champion = null;
  if (event.champion !== undefined && event.champion !== null) {
    if (!isObject(event.champion)) throw invalid(`champion is ${JSON.stringify(event.champion)}; expected null (no approved model package) or the DescribeModelPackage response.`);
    const ch = event.champion;
    if (typeof ch.ModelPackageArn !== 'string' || !ch.ModelPackageArn) throw invalid('champion: DescribeModelPackage response: ModelPackageArn is missing or empty.');
    const version = Number.isInteger(ch.ModelPackageVersion) ? ch.ModelPackageVersion : null;
    const name = version === null ? ch.ModelPackageArn : `version ${version}`;
    const text = ch.CustomerMetadataProperties?.validation_auc;
    const auc = text === undefined ? null : Number(text);
    champion = {
      arn: ch.ModelPackageArn,
      name,
      auc: auc !== null && Number.isFinite(auc) && auc >= 0 && auc <= 1 ? auc : null,
      problem: text === undefined ? `The champion (${name}) has no CustomerMetadataProperties 'validation_auc'.` : `The champion (${name}) has CustomerMetadataProperties 'validation_auc' = '${text}', which is not a number between 0 and 1.`,
    };
  }
  const run = event.run;
  if (!isObject(run)) throw invalid('run is missing; expected the plan object prepare-run returned.');
  const key = (uri, at) => {
    const prefix = `s3://${bucket}/`;
    if (typeof uri !== 'string' || !uri.startsWith(prefix) || uri.length <= prefix.length || uri.endsWith('/')) throw invalid(`${at} is '${uri}'; expected an object URI in the lake bucket, ${prefix}<key>.`);
    return uri.slice(prefix.length);
  };
  for (const [k, v] of [['runId', run.runId], ['codeVersion', run.codeVersion], ['window.from', run.window?.from], ['window.to', run.window?.to]]) {
    if (typeof v !== 'string' || !v) throw invalid(`run.${k} is missing; expected ${k.startsWith('window') ? 'a date as yyyy-MM-dd' : `the ${k}`}.`);
  }
  const evaluationKey = key(run.s3?.evaluation, 'run.s3.evaluation');
  const modelQualityKey = key(run.s3?.modelQuality, 'run.s3.modelQuality');

  const checks = [];
  const completed = job.TrainingJobStatus === 'Completed';
  checks.push(completed
    ? { name: 'job_completed', passed: true, reason: `Training job '${job.TrainingJobName}' is Completed.` }
    : { name: 'job_completed', passed: false, reason: `Training job '${job.TrainingJobName}' is ${job.TrainingJobStatus}, not Completed${job.FailureReason ? `: ${job.FailureReason}` : '.'}` });
  const metric = (job.FinalMetricDataList ?? []).find((m) => m.MetricName === 'validation:auc');
  let auc = null;
  if (!metric) checks.push({ name: 'metric_valid', passed: false, reason: 'The training job reported no validation:auc metric; check that eval_metric=auc is set and the validation channel has data.' });
  else if (!Number.isFinite(metric.Value) || metric.Value < 0 || metric.Value > 1) checks.push({ name: 'metric_valid', passed: false, reason: `validation:auc is ${metric.Value}, not a number between 0 and 1; the validation channel may lack a positive or a negative label.` });
  else {
    auc = metric.Value;
    checks.push({ name: 'metric_valid', passed: true, reason: `validation:auc is ${formatAuc(auc)}.` });
  }
  checks.push(auc === null
    ? { name: 'minimum_auc', passed: false, reason: `The minimum validation AUC ${minimum} cannot be checked without a valid validation:auc.` }
    : auc >= minimum
      ? { name: 'minimum_auc', passed: true, reason: `Validation AUC ${formatAuc(auc)} is at least the minimum ${minimum}.` }
      : { name: 'minimum_auc', passed: false, reason: `Validation AUC ${formatAuc(auc)} is below the minimum ${minimum}.` });
  if (champion === null) checks.push({ name: 'no_regression', passed: true, reason: 'There is no approved champion in the model package group, so there is nothing to regress from.' });
  else if (champion.auc === null) checks.push({ name: 'no_regression', passed: false, reason: `${champion.problem} Without it the candidate cannot be compared; record 'validation_auc' on the champion or approve the candidate manually.` });
  else if (auc === null) checks.push({ name: 'no_regression', passed: false, reason: `The comparison with the champion (${champion.name}, AUC ${formatAuc(champion.auc)}) cannot be made without a valid validation:auc.` });
  else {
    const floor = champion.auc - tolerance;
    const floorText = String(Number(floor.toFixed(10)));
    checks.push(auc >= floor - 1e-12
      ? { name: 'no_regression', passed: true, reason: `Validation AUC ${formatAuc(auc)} is not below the champion's (${champion.name}) AUC ${formatAuc(champion.auc)} minus the tolerance ${tolerance} (${floorText}).` }
      : { name: 'no_regression', passed: false, reason: `Validation AUC ${formatAuc(auc)} is below the champion's (${champion.name}) AUC ${formatAuc(champion.auc)} minus the tolerance ${tolerance} (${floorText}): a regression.` });
  }
  const passed = checks.every((c) => c.passed);
  const reasons = (passed ? checks : checks.filter((c) => !c.passed)).map((c) => c.reason);
  s3Writes.push(`s3://${bucket}/${evaluationKey}`);
  if (auc !== null) s3Writes.push(`s3://${bucket}/${modelQualityKey}`);
  const metadata = {};
  if (auc !== null) metadata.validation_auc = sanitize(formatAuc(auc));
  Object.assign(metadata, { run_id: sanitize(run.runId), training_job: sanitize(job.TrainingJobName), window: sanitize(`${run.window.from}..${run.window.to}`), code_version: sanitize(run.codeVersion) });
  return {
    passed,
    summary: reasons.join(' '),
    reasons,
    checks,
    validationAuc: auc,
    approvalStatus: passed && env.AUTO_APPROVE === 'true' ? 'Approved' : 'PendingManualApproval',
    modelDataUrl: job.ModelArtifacts?.S3ModelArtifacts ?? null,
    evaluationReport: run.s3.evaluation,
    modelQualityStatistics: auc !== null ? run.s3.modelQuality : null,
    customerMetadata: metadata,
  };
}

/** The function behind a handler string, or undefined for one the rehearsal does not know. */
export function functionFor(handler) {
  switch (handler) {
    case 'Pipeline.PrepareRun':
      return (event, env, today, s3Writes) => {
        if (!isObject(event)) throw invalid('The event is not a JSON object.');
        if (event.action === 'plan') {
          const p = plan(event, env, today);
          s3Writes.push(p.s3.manifest);
          return p;
        }
        if (event.action === 'decide') return decide(event, env, today);
        if (event.action === undefined) throw invalid('action is missing; expected an object with "action": "plan" or "decide".');
        throw invalid(`action is '${typeof event.action === 'string' ? event.action : JSON.stringify(event.action)}'; expected "plan" or "decide".`);
      };
    case 'Pipeline.Evaluate':
      return (event, env, today, s3Writes) => {
        if (!isObject(event)) throw invalid('The event is not a JSON object.');
        return evaluate(event, env, today, s3Writes);
      };
    default:
      return undefined;
  }
}
