// The pipeline's Lambda functions as their contracts say they answer (lambdas/Pipeline.PrepareRun/README.md and
// Function.cs, lambdas/Pipeline.Evaluate/README.md and Function.cs, lambdas/Pipeline.Drift/README.md and Function.cs,
// src/Pipeline.Training and its Drift folder): the same members, the same decisions and reasons, configured by the
// function's environment from the template. S3 writes are recorded; the objects a function reads back (drift
// baselines) are kept in the World's store. Input a function cannot accept throws InvalidEventException, as the real
// function posts it; a baseline that does not exist FileNotFoundException.

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
      baselineSummary: baselineSummarySql(from, window),
    },
    s3: {
      train: s3(`training/${runId}/train/`),
      validation: s3(`training/${runId}/validation/`),
      model: s3(`models/${runId}/`),
      checkpoint: s3(`models/${runId}/checkpoints/`),
      evaluation: s3(`models/${runId}/evaluation.json`),
      modelQuality: s3(`models/${runId}/model-quality.json`),
      driftBaseline: s3(`models/${runId}/drift-baseline.json`),
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
  // Only checked, never read: the register step records where the drift workflow finds the model's baseline.
  if (run.s3?.driftBaseline === undefined || run.s3?.driftBaseline === null) throw invalid("run.s3.driftBaseline is missing; expected the drift baseline's S3 URI.");
  key(run.s3.driftBaseline, 'run.s3.driftBaseline');

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
  Object.assign(metadata, { run_id: sanitize(run.runId), training_job: sanitize(job.TrainingJobName), window: sanitize(`${run.window.from}..${run.window.to}`), code_version: sanitize(run.codeVersion), drift_baseline: sanitize(run.s3.driftBaseline) });
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

// ------------------------------------------------------------------ drift (src/Pipeline.Training/Drift)
// The telemetry schema's training roles (TelemetrySchema): numeric features, and categorical ones with their values.
export const NUMERIC = ['air_temperature_k', 'process_temperature_k', 'rotational_speed_rpm', 'torque_nm', 'tool_wear_min', 'vibration_mm_s'];
export const CATEGORICAL = { product_quality: ['L', 'M', 'H'] };
const ident = (name) => `"${name.replace(/"/g, '""')}"`;
const literal = (text) => `'${text.replace(/'/g, "''")}'`;
const countIf = (condition) => `sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
// DriftSql.Number: C# "E16" (a DOUBLE literal in Trino): 17 significant digits, an exponent of at least three digits.
export function sqlNumber(x) {
  const [mantissa, exponent] = x.toExponential(16).toUpperCase().split('E');
  const e = Number(exponent);
  return `${mantissa}E${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(3, '0')}`;
}
// DriftSql.BinConditions: bin 0 below the first edge, bin i from edge i (inclusive) to edge i + 1, the last from the last edge up.
function binConditions(value, edges) {
  const out = [];
  for (let bin = 0; bin <= edges.length; bin++) {
    const lower = bin === 0 ? null : `${value} >= ${sqlNumber(edges[bin - 1])}`;
    const upper = bin === edges.length ? null : `${value} < ${sqlNumber(edges[bin])}`;
    out.push(lower === null ? upper ?? `${value} IS NOT NULL` : upper === null ? lower : `${lower} AND ${upper}`);
  }
  return out;
}
export const binColumn = (feature, bin) => `${feature}__bin_${bin}`;
// TrainingSetQuery.ChannelSource for the train split (the hash expression abbreviated, as in the plan's UNLOADs).
const trainSource = (from, window) => `FROM ${from}\nWHERE "event_date" BETWEEN '${window.from}' AND '${window.to}'\n    AND "train split hash" >= 2`;

// DriftBaselineQuery.SummarySql
function baselineSummarySql(from, window) {
  const quantiles = Array.from({ length: 9 }, (_, i) => `${i + 1}E-1`).join(', ');
  let text = 'SELECT\n    count(*) AS "rows"';
  for (const f of NUMERIC) {
    const v = `CAST(${ident(f)} AS DOUBLE)`;
    text += `,\n    count(${v}) AS ${ident(`${f}__count`)},\n    min(${v}) AS ${ident(`${f}__min`)},\n    max(${v}) AS ${ident(`${f}__max`)},\n    avg(${v}) AS ${ident(`${f}__mean`)},\n    stddev_samp(${v}) AS ${ident(`${f}__sd`)},\n    approx_percentile(${v}, ARRAY[${quantiles}]) AS ${ident(`${f}__edges`)}`;
  }
  for (const [f, values] of Object.entries(CATEGORICAL)) {
    text += `,\n    count(${ident(f)}) AS ${ident(`${f}__count`)}`;
    for (const v of values) text += `,\n    ${countIf(`${ident(f)} = ${literal(v)}`)} AS ${ident(`${f}__is__${v}`)}`;
  }
  return `${text}\n${trainSource(from, window)}`;
}

// QueryResultRow.Read: the one row of a single-row ResultSet, typed by ColumnInfo. `name` prefixes messages.
function resultRow(resultSet, name, expected) {
  if (!isObject(resultSet)) throw invalid(`${name} is missing; expected ${expected} (the task's $.ResultSet).`);
  const rows = resultSet.Rows;
  const columns = resultSet.ResultSetMetadata?.ColumnInfo;
  if (!Array.isArray(rows) || !Array.isArray(columns)) throw invalid(`${name}: Not an Athena ResultSet: it needs Rows and ResultSetMetadata.ColumnInfo.`);
  if (rows.length !== 2) throw invalid(`${name}: The query returned ${rows.length - 1} rows; a single-row query returns a header and exactly one row.`);
  const cells = rows[1].Data ?? [];
  if (cells.length !== columns.length) throw invalid(`${name}: The row has ${cells.length} values for ${columns.length} columns.`);
  const values = new Map();
  const unreadable = (col, type, text) => invalid(`${name}: Column ${col} (${type}) holds "${text}", which is not a value of that type.`);
  const number = (t) => (/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$|^(NaN|-?Infinity)$/.test(t) ? Number(t) : null);
  columns.forEach((c, i) => {
    const text = cells[i]?.VarCharValue;
    const type = c.Type ?? '';
    let v = null;
    if (text !== undefined) {
      if (['tinyint', 'smallint', 'integer', 'bigint'].includes(type)) {
        if (!/^[+-]?\d+$/.test(text)) throw unreadable(c.Name, type, text);
        v = Number(text);
      } else if (['real', 'float', 'double', 'decimal'].includes(type) || type.startsWith('decimal(')) {
        v = number(text);
        if (v === null) throw unreadable(c.Name, type, text);
      } else if (type === 'array' || type.startsWith('array(')) {
        if (!(text.startsWith('[') && text.endsWith(']'))) throw unreadable(c.Name, type, text);
        const inner = text.slice(1, -1).trim();
        v = inner === '' ? [] : inner.split(',').map((x) => {
          const n = number(x.trim());
          if (n === null) throw unreadable(c.Name, type, text);
          return n;
        });
      } else v = text;
    }
    values.set(c.Name, v);
  });
  const raw = (col) => {
    if (!values.has(col)) throw invalid(`${name} has no column ${col}; expected ${expected}.`);
    return values.get(col);
  };
  const shown = (v) => (typeof v === 'string' ? `the text '${v}'` : Array.isArray(v) ? `an array of ${v.length} numbers` : `the number ${v}`);
  return {
    raw,
    value: (col) => {
      const v = raw(col);
      const edges = col.endsWith('__edges');
      if (v === null || (edges && Array.isArray(v)) || (!edges && typeof v === 'number')) return v;
      throw invalid(`${name}.${col} is ${shown(v)}; expected ${edges ? 'an array of numbers (array(double))' : 'a number'}.`);
    },
    count: (col) => {
      const v = raw(col);
      if (v === null) return 0;
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
      throw invalid(`${name}.${col} is ${shown(v)}; expected a count, a whole number 0 or more (bigint).`);
    },
  };
}

const SUMMARY_EXPECTED = "the baselineSummary query's GetQueryResults ResultSet";
const BINS_EXPECTED = "the baselineBins statement's GetQueryResults ResultSet";
const WINDOW_EXPECTED = 'the plan\'s window {"from":"yyyy-MM-dd","to":"yyyy-MM-dd"}';

function requiredWindow(event, today) {
  const w = event.window;
  if (!isObject(w)) throw invalid(`window is missing; expected ${WINDOW_EXPECTED}.`);
  for (const k of ['from', 'to']) if (w[k] === undefined || w[k] === null) throw invalid(`window.${k} is missing; expected ${WINDOW_EXPECTED}.`);
  return readWindow(event, today, 1);
}

// DriftBaselineQuery.Edges: each numeric feature's deciles, repeated values merged.
function edgesOf(summary) {
  return Object.fromEntries(NUMERIC.map((f) => {
    const e = summary.value(`${f}__edges`);
    if (!Array.isArray(e)) throw invalid(`${f} has no value in the train split, so it has no distribution to compare with; train on a window where it is sent, or make it an Identifier. (Parameter 'column')`);
    return [f, [...new Set(e)].sort((a, b) => a - b)];
  }));
}

// Pipeline.PrepareRun, action "baselineBins".
function baselineBins(event, env, today) {
  const c = config(env);
  const window = requiredWindow(event, today);
  const summary = resultRow(event.summary, 'summary', SUMMARY_EXPECTED);
  const edges = edgesOf(summary);
  let text = 'SELECT\n    count(*) AS "rows"';
  for (const f of NUMERIC) {
    binConditions(`CAST(${ident(f)} AS DOUBLE)`, edges[f]).forEach((cond, i) => (text += `,\n    ${countIf(cond)} AS ${ident(binColumn(f, i))}`));
  }
  return { sql: `${text}\n${trainSource(`"${c.database}"."${c.table}"`, window)}` };
}

const shares = (counts) => {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((n) => (total > 0 ? n / total : 0));
};

// Pipeline.PrepareRun, action "baseline" (DriftBaselineQuery.Build, DriftBaselineDocument.Write).
function baseline(event, env, today, store) {
  const c = config(env);
  if (typeof event.executionName !== 'string' || !event.executionName) throw invalid('executionName is missing; expected the Step Functions execution name (from $$.Execution.Name).');
  const window = requiredWindow(event, today);
  const summary = resultRow(event.summary, 'summary', SUMMARY_EXPECTED);
  const bins = resultRow(event.bins, 'bins', BINS_EXPECTED);
  const runId = deriveRunId(event.executionName);
  void window;
  const whole = (col) => summary.value(col) ?? 0;
  const rows = whole('rows');
  if (rows === 0) throw invalid("The train split holds no rows: there is nothing to describe. Train on a window with data. (Parameter 'summary')");
  const edges = edgesOf(summary);
  const doc = {
    schema: 'telemetry',
    run: runId,
    rows,
    numeric: NUMERIC.map((f) => {
      const count = whole(`${f}__count`);
      return {
        feature: f, count, missingShare: (rows - count) / rows,
        min: summary.value(`${f}__min`), max: summary.value(`${f}__max`), mean: summary.value(`${f}__mean`), standardDeviation: summary.value(`${f}__sd`) ?? 0,
        binEdges: edges[f], binShares: shares(edges[f].concat([null]).map((_, i) => bins.count(binColumn(f, i)))),
      };
    }),
    categorical: Object.entries(CATEGORICAL).map(([f, values]) => {
      const count = whole(`${f}__count`);
      const s = shares(values.map((v) => whole(`${f}__is__${v}`)));
      return { feature: f, count, missingShare: (rows - count) / rows, shares: values.map((v, i) => ({ category: v, share: s[i] })) };
    }),
  };
  const location = `s3://${c.bucket}/models/${runId}/drift-baseline.json`;
  store.put(location, JSON.stringify(doc, null, 2));
  return { location, rows };
}

// DriftBaselineDocument.Read, the checks that matter to a rehearsal.
function readBaselineDocument(text, uri) {
  let d;
  try {
    d = JSON.parse(text);
  } catch (e) {
    throw invalid(`${uri}: drift-baseline.json is not JSON: ${e.message}`);
  }
  if (!Number.isInteger(d.rows) || d.rows < 1) throw invalid(`${uri}: drift-baseline.json: $.rows must be a whole number.`);
  if (d.schema !== 'telemetry') throw invalid(`${uri} is a baseline of schema '${d.schema}'; expected one of 'telemetry', the schema the endpoint's model reads.`);
  const numeric = (d.numeric ?? []).map((f) => f.feature);
  const categorical = (d.categorical ?? []).map((f) => f.feature);
  if (numeric.join() !== NUMERIC.join() || categorical.join() !== Object.keys(CATEGORICAL).join()) {
    throw invalid(`${uri}: The baseline's features (${[...numeric, ...categorical].join(', ')}) are not the model's (${[...NUMERIC, ...Object.keys(CATEGORICAL)].join(', ')}); use the baseline of the model this layout trained. (Parameter 'baseline')`);
  }
  for (const [i, f] of d.numeric.entries()) {
    if (!Array.isArray(f.binEdges) || !Array.isArray(f.binShares) || f.binShares.length !== f.binEdges.length + 1) throw invalid(`${uri}: drift-baseline.json: $.numeric[${i}].binShares has ${f.binShares?.length} values for ${f.binEdges?.length} edges; it needs one more than the edges.`);
  }
  return d;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$/;
const HOUR = 3600000;
const utc = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
function instant(parent, name, expected, at = '') {
  const where = at ? `${at}.${name}` : name;
  const text = parent?.[name];
  if (typeof text !== 'string') throw invalid(`${where} is missing; expected ${expected}.`);
  const ms = Date.parse(text);
  if (!ISO_INSTANT.test(text) || Number.isNaN(ms)) throw invalid(`${where} is '${text}'; expected ${expected}.`);
  return { ms, text };
}
function hour(parent, name, expected, at) {
  const t = instant(parent, name, expected, at);
  if (t.ms % HOUR !== 0) throw invalid(`${at ? `${at}.` : ''}${name} is '${t.text}'; expected ${expected}.`);
  return t.ms;
}

function driftConfig(env) {
  const need = (k) => {
    if (!env[k]) throw new Error(`the function's environment has no ${k}`);
    return env[k];
  };
  return {
    bucket: need('LAKE_BUCKET'), database: need('GLUE_DATABASE'), table: need('CAPTURE_TABLE'), endpoint: need('ENDPOINT_NAME'),
    windowHours: Number(need('WINDOW_HOURS')), psiWarn: Number(need('PSI_WARN')), psiAlarm: Number(need('PSI_ALARM')), minimumRows: Number(need('MINIMUM_ROWS')),
  };
}

function readDriftBaseline(event, c, store) {
  const expected = `the served model's baseline, s3://${c.bucket}/models/<run>/drift-baseline.json`;
  const uri = event.baseline;
  if (typeof uri !== 'string' || !uri) throw invalid(`baseline is missing; expected ${expected}.`);
  const prefix = `s3://${c.bucket}/`;
  const key = uri.startsWith(prefix) ? uri.slice(prefix.length) : null;
  if (key === null || !key.startsWith('models/') || !key.endsWith('/drift-baseline.json') || key.length <= 'models/'.length + '/drift-baseline.json'.length) throw invalid(`baseline is '${uri}'; expected ${expected}.`);
  const text = store.get(uri);
  if (text === undefined) throw new FunctionError('FileNotFoundException', `${uri} does not exist (NoSuchKey).`);
  return { doc: readBaselineDocument(text, uri), uri };
}

// DriftWindowQuery.Sql
function windowSql(doc, c, start, end) {
  const hourText = (ms) => new Date(ms).toISOString().slice(0, 13).replace(/-/g, '/').replace('T', '/');
  const numericBlock = (f, column) => {
    let t = `,\n    ${countIf(`${column} IS NULL`)} AS ${ident(`${f.feature}__missing`)},\n    ${countIf(`${column} < ${sqlNumber(f.min)}`)} AS ${ident(`${f.feature}__below_min`)},\n    ${countIf(`${column} > ${sqlNumber(f.max)}`)} AS ${ident(`${f.feature}__above_max`)}`;
    binConditions(column, f.binEdges).forEach((cond, i) => (t += `,\n    ${countIf(cond)} AS ${ident(binColumn(f.feature, i))}`));
    return t;
  };
  let text = `SELECT\n    count(*) AS "rows",\n    ${countIf(`fields > ${FEATURES.length}`)} AS "unknown_fields",\n    ${countIf(`fields < ${FEATURES.length}`)} AS "missing_fields",\n    ${countIf(FEATURES.map((n) => `(${ident(`${n}__text`)} IS NOT NULL AND ${ident(n)} IS NULL)`).join(' OR '))} AS "wrong_types"`;
  for (const f of doc.numeric) text += numericBlock(f, ident(f.feature));
  for (const [f, values] of Object.entries(CATEGORICAL)) {
    text += `,\n    ${countIf(values.map((v) => `coalesce(${ident(`${f}_${v.toLowerCase()}`)}, 0) <> 1`).join(' AND '))} AS ${ident(`${f}__missing`)}`;
    for (const v of values) text += `,\n    ${countIf(`${ident(`${f}_${v.toLowerCase()}`)} = 1`)} AS ${ident(`${f}__is__${v}`)}`;
  }
  if (doc.scores) text += numericBlock({ ...doc.scores, feature: 'prediction_score' }, '"score"');
  text += '\nFROM (\n    SELECT\n        length(input) - length(replace(input, \',\', \'\')) + 1 AS fields';
  FEATURES.forEach((n, i) => (text += `,\n        NULLIF(split_part(input, ',', ${i + 1}), '') AS ${ident(`${n}__text`)},\n        TRY_CAST(NULLIF(split_part(input, ',', ${i + 1}), '') AS DOUBLE) AS ${ident(n)}`));
  text += `,\n        TRY_CAST(NULLIF(output, '') AS DOUBLE) AS "score"\n    FROM (\n        SELECT replace(replace(capturedata.endpointinput.data, chr(13), ''), chr(10), '') AS input,\n            CASE WHEN capturedata.endpointoutput.encoding = 'CSV' THEN replace(replace(capturedata.endpointoutput.data, chr(13), ''), chr(10), '') END AS output\n        FROM ${ident(c.database)}.${ident(c.table)}\n        WHERE "endpoint" = ${literal(c.endpoint)}\n            AND "capture_hour" >= ${literal(hourText(start))} AND "capture_hour" < ${literal(hourText(end))}\n    ) AS captured\n) AS requests`;
  return text;
}

// Pipeline.Drift, action "plan".
function driftPlan(event, env, store) {
  const c = driftConfig(env);
  const time = instant(event, 'time', 'the execution\'s start time ($$.Execution.StartTime), e.g. 2026-12-06T19:05:12.345Z');
  const end = event.windowEnd === undefined || event.windowEnd === null ? time.ms - (time.ms % HOUR) : hour(event, 'windowEnd', 'null or a whole UTC hour such as 2026-12-06T19:00:00Z');
  if (end > time.ms) throw invalid(`windowEnd is ${utc(end)}, after the execution's start time ${time.text}; expected a window that has ended.`);
  const start = end - c.windowHours * HOUR;
  const { doc } = readDriftBaseline(event, c, store);
  return { sql: windowSql(doc, c, start, end), window: { start: utc(start), end: utc(end) }, baselineRun: doc.run };
}

const psiOf = (expected, actual) => expected.reduce((sum, e0, i) => {
  const e = Math.max(e0, 1e-4);
  const a = Math.max(actual[i], 1e-4);
  return sum + (a - e) * Math.log(a / e);
}, 0);

// Pipeline.Drift, action "assess" (DriftAssessment.Assess and the response Function writes).
function driftAssess(event, env, store) {
  const c = driftConfig(env);
  const hourExpected = 'a whole UTC hour such as 2026-12-06T19:00:00Z';
  if (!isObject(event.window)) throw invalid('window is missing; expected the plan\'s window {"start","end"}.');
  const start = hour(event.window, 'start', hourExpected, 'window');
  const end = hour(event.window, 'end', hourExpected, 'window');
  if (end <= start) throw invalid(`window is ${utc(start)} to ${utc(end)}; expected the plan's window, start before end.`);
  if (!isObject(event.result)) throw invalid('result is missing; expected the window statement\'s GetQueryResults ResultSet ({"Rows":[…],"ResultSetMetadata":{"ColumnInfo":[…]}}).');
  const row = resultRow(event.result, 'result', `the result of the statement plan returned for the baseline ${event.baseline}`);
  const { doc } = readDriftBaseline(event, c, store);
  const count = (col) => {
    const v = row.raw(col);
    if (v === null) return 0;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    throw invalid(`result column ${col} is ${typeof v === 'string' ? `"${v}"` : Array.isArray(v) ? 'a list' : v}; expected a count, a whole number 0 or more.`);
  };
  const rows = count('rows');
  const violations = count('unknown_fields') + count('missing_fields') + count('wrong_types');
  const judge = (feature, expected, counts) => {
    const actual = shares(counts);
    const psi = actual.every((x) => x === 0) ? 0 : psiOf(expected, actual);
    return { feature, psi, level: psi >= c.psiAlarm ? 'Alarm' : psi >= c.psiWarn ? 'Warn' : 'Stable' };
  };
  const features = [];
  if (rows >= c.minimumRows) {
    for (const f of doc.numeric) {
      count(`${f.feature}__missing`);
      count(`${f.feature}__below_min`);
      count(`${f.feature}__above_max`);
      features.push(judge(f.feature, f.binShares, f.binShares.map((_, i) => count(binColumn(f.feature, i)))));
    }
    for (const f of doc.categorical) {
      count(`${f.feature}__missing`);
      features.push(judge(f.feature, f.shares.map((s) => s.share), f.shares.map((s) => count(`${f.feature}__is__${s.category}`))));
    }
  }
  const rank = { Stable: 0, Warn: 1, Alarm: 2 };
  const level = rows < c.minimumRows ? 'InsufficientData' : features.reduce((l, f) => (rank[f.level] > rank[l] ? f.level : l), 'Stable');
  const maxPsi = features.reduce((m, f) => Math.max(m, f.psi), 0);
  const drifted = features.filter((f) => f.level !== 'Stable').sort((a, b) => rank[b.level] - rank[a.level] || b.psi - a.psi);
  const stamp = new Date(end).toISOString().slice(0, 16).replace(/[-:]/g, '');
  const report = `s3://${c.bucket}/drift/${c.endpoint}/${stamp}Z/report.json`;
  store.put(report, JSON.stringify({ endpoint: c.endpoint, window: { start: utc(start), end: utc(end) }, baselineRun: doc.run, rows, level, maxPsi, violations, features }, null, 2));
  const span = `${utc(start).slice(0, 16).replace('T', ' ')} to ${utc(end).slice(11, 16)} UTC`;
  const requests = `${rows} request${rows === 1 ? '' : 's'}`;
  const summary = level === 'InsufficientData'
    ? `Too few requests to judge drift on ${c.endpoint}, ${span}: ${requests}, fewer than the ${c.minimumRows} needed. Report: ${report}`
    : level === 'Stable'
      ? `No drift on ${c.endpoint}, ${span}, ${requests}: every PSI below ${c.psiWarn}. Report: ${report}`
      : `${level === 'Alarm' ? 'Drift alarm' : 'Drift warning'} on ${c.endpoint}, ${span}, ${requests}: ${drifted.map((f) => `${f.feature} PSI ${f.psi.toFixed(2)} (${f.level === 'Alarm' ? `alarm from ${c.psiAlarm}` : `warning from ${c.psiWarn}`})`).join(', ')}. Report: ${report}`;
  return { level, rows, violations, maxPsi, drifted: drifted.map((f) => f.feature), report, summary };
}

/** The function behind a handler string, or undefined for one the rehearsal does not know. */
export function functionFor(handler) {
  switch (handler) {
    case 'Pipeline.PrepareRun':
      return (event, env, today, s3Writes, store) => {
        if (!isObject(event)) throw invalid('The event is not a JSON object.');
        if (event.action === 'plan') {
          const p = plan(event, env, today);
          s3Writes.push(p.s3.manifest);
          return p;
        }
        if (event.action === 'decide') return decide(event, env, today);
        if (event.action === 'baselineBins') return baselineBins(event, env, today);
        if (event.action === 'baseline') return baseline(event, env, today, store);
        if (event.action === undefined) throw invalid('action is missing; expected an object with "action": "plan" (with "executionName", optional "window" {"from","to"} and "hyperparameters"), "decide" (with "rows", "positives" and "hyperparameters"), "baselineBins" (with "window" and "summary") or "baseline" (with "executionName", "window", "summary" and "bins").');
        throw invalid(`action is '${typeof event.action === 'string' ? event.action : JSON.stringify(event.action)}'; expected "plan", "decide", "baselineBins" or "baseline".`);
      };
    case 'Pipeline.Drift':
      return (event, env, _today, _s3Writes, store) => {
        if (!isObject(event)) throw invalid('The event is not a JSON object.');
        if (event.action === 'plan') return driftPlan(event, env, store);
        if (event.action === 'assess') return driftAssess(event, env, store);
        if (event.action === undefined) throw invalid('action is missing; expected an object with "action": "plan" (with "baseline", "time" and optional "windowEnd") or "assess" (with "baseline", "window" {"start","end"} and "result", the window statement\'s GetQueryResults ResultSet).');
        throw invalid(`action is '${typeof event.action === 'string' ? event.action : JSON.stringify(event.action)}'; expected "plan" or "assess".`);
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
