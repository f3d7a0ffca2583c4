// Self-test of the rehearsal gate: node --test tests/rehearsal/rehearse.test.mjs
// The gate runs in this process on a one-state fixture (a SageMaker training job) and variants of it, each with one
// defect the gate must catch; the command-line contract is tested through a child process. The app's real templates
// are rehearsed by the .NET tests (tests/Pipeline.Infra.Tests/PolicyGates/RehearsalGateTests.cs), which synthesize them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rehearse, summaryText } from './rehearse.mjs';
import { matchesPattern, targetInput } from './lib/eventbridge.mjs';
import { deriveRunId, formatScalePosWeight, functionFor, tuningJobName } from './lib/lambdas.mjs';
import { World, athenaResultSet, outerAliases } from './lib/aws.mjs';
import { execute } from './lib/interpreter.mjs';
import { loadModel, operation, validate } from './lib/model.mjs';
import { workflowKind } from './lib/scenarios.mjs';
import { loadTemplates, makeResolver } from './lib/templates.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const gate = path.join(here, 'rehearse.mjs');
const fixture = path.join(here, 'fixtures', 'training-job.template.json');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-test-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

// A copy of the fixture whose definition `mutate` changes (the DefinitionString is a Fn::Join around the job role).
let counter = 0;
function variant(mutate) {
  const tpl = JSON.parse(fs.readFileSync(fixture, 'utf8'));
  const parts = tpl.Resources.StateMachine.Properties.DefinitionString['Fn::Join'][1];
  const token = '@@ROLE@@'; // inside the quotes the Join's strings put around the role
  const definition = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : token)).join(''));
  mutate(definition);
  const [before, after] = JSON.stringify(definition).split(token);
  tpl.Resources.StateMachine.Properties.DefinitionString['Fn::Join'][1] = [before, parts.find((p) => typeof p !== 'string'), after];
  const dir = fs.mkdtempSync(path.join(tmp, `v${counter++}-`));
  const file = path.join(dir, 'variant.template.json');
  fs.writeFileSync(file, JSON.stringify(tpl, null, 2));
  return file;
}
const train = (d) => d.States.Train;
const findingsOf = (r) => r.workflows.flatMap((w) => w.findings.map((f) => `${f.kind} ${f.state} ${f.message}`));
const unreliableOf = (r) => r.workflows.flatMap((w) => w.unreliable.map((u) => `${u.construct} ${u.state}.${u.field}`));

describe('rehearsal gate', () => {
  it('passes a correct definition: the job is created and described, every request and answer fits the API model', async () => {
    const r = await rehearse([fixture]);
    assert.equal(r.exitCode, 0, summaryText(r));
    assert.deepEqual(r.workflows[0].scenarios.map((s) => [s.name, s.executions[0].status]), [['runs with {} and every call answered', 'SUCCEEDED']]);
    assert.match(summaryText(r), /RESULT: PASS \(exit 0\)\n$/);
  });

  it('fails a misspelt parameter (TrainingJobNme): an unknown member of CreateTrainingJob', async () => {
    const r = await rehearse([variant((d) => {
      const p = train(d).Parameters;
      p.TrainingJobNme = p.TrainingJobName;
      delete p.TrainingJobName;
    })]);
    assert.equal(r.exitCode, 1);
    const f = findingsOf(r);
    assert.ok(f.some((x) => /^request Train CreateTrainingJob \$\.TrainingJobNme: unknown member/.test(x)), f.join('\n'));
    assert.ok(f.some((x) => /required member TrainingJobName is missing/.test(x)), f.join('\n'));
    assert.match(summaryText(r), /RESULT: FAIL \(exit 1\)/);
  });

  it('fails a wrongly cased parameter of an optimized integration (trainingJobName)', async () => {
    const r = await rehearse([variant((d) => {
      const p = train(d).Parameters;
      p.trainingJobName = p.TrainingJobName;
      delete p.TrainingJobName;
    })]);
    assert.equal(r.exitCode, 1);
    assert.ok(findingsOf(r).some((x) => x.includes("$.trainingJobName: unknown member, wrongly cased: the model's name is TrainingJobName")), findingsOf(r).join('\n'));
  });

  it('fails a ResultSelector on a field the response lacks (States.Runtime, as on AWS)', async () => {
    const r = await rehearse([variant((d) => (train(d).ResultSelector = { 'arn.$': '$.TrainingJobArnn' }))]);
    assert.equal(r.exitCode, 1);
    const s = r.workflows[0].scenarios[0];
    assert.equal(s.executions[0].status, 'FAILED');
    assert.equal(s.executions[0].error, 'States.Runtime');
    assert.match(s.problems.join('\n'), /TrainingJobArnn/);
  });

  it('fails a hyperparameter that is not a string (SageMaker takes HyperParameters as strings)', async () => {
    const r = await rehearse([variant((d) => (train(d).Parameters.HyperParameters.num_round = 10))]);
    assert.equal(r.exitCode, 1);
    assert.ok(findingsOf(r).some((x) => /HyperParameters\.num_round: expected a string \(HyperParameterValue\), got number 10/.test(x)), findingsOf(r).join('\n'));
    assert.equal(r.workflows[0].scenarios[0].executions[0].error, 'SageMaker.AmazonSageMakerException');
  });

  it('fails a spot job whose MaxWaitTimeInSeconds is below MaxRuntimeInSeconds (a documented rule beyond the model)', async () => {
    const r = await rehearse([variant((d) => {
      Object.assign(train(d).Parameters, { EnableManagedSpotTraining: true, StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 600 } });
    })]);
    assert.equal(r.exitCode, 1);
    assert.match(r.workflows[0].scenarios[0].executions[0].cause, /MaxWaitTimeInSeconds \(600\) must be greater than or equal to MaxRuntimeInSeconds \(3600\)/);
  });

  it('refuses constructs the interpreter does not run as AWS does: a null Pass Result, a JSONPath filter, $$.State', async () => {
    const r = await rehearse([variant((d) => {
      d.StartAt = 'NoChampion';
      d.States.NoChampion = { Type: 'Pass', Result: null, ResultPath: '$.champion', Next: 'Pick' };
      d.States.Pick = { Type: 'Pass', Parameters: { 'served.$': "$.list[?(@.k == 'x')].v", 'retries.$': '$$.State.RetryCount' }, ResultPath: '$.picked', Next: 'Train' };
    })]);
    assert.equal(r.exitCode, 1);
    assert.deepEqual(unreliableOf(r).sort(), ['context-field Pick.Parameters.retries.$', 'falsy-pass-result NoChampion.Result', 'filter-expression Pick.Parameters.served.$']);
    assert.match(summaryText(r), /UNRELIABLE {2}NoChampion\.Result {2}"Result": null is treated as absent/);
  });

  it('command line: exit 0 with the report written, 2 without --report or with a missing template', () => {
    const report = path.join(tmp, 'report.json');
    const ok = spawnSync(process.execPath, [gate, '--report', report, fixture], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, / {2}RESULT: PASS \(exit 0\)\n$/);
    const doc = JSON.parse(fs.readFileSync(report, 'utf8'));
    assert.deepEqual([doc.totals.scenarios, doc.totals.scenariosPassed, doc.workflows[0].kind], [1, 1, 'generic']);
    const noReport = spawnSync(process.execPath, [gate, fixture], { encoding: 'utf8' });
    assert.equal(noReport.status, 2);
    assert.match(noReport.stderr, /--report is required/);
    const missing = spawnSync(process.execPath, [gate, '--report', report, path.join(tmp, 'nope.template.json')], { encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /template not found/);
  });
});

describe('EventBridge', () => {
  const event = { source: 'aws.sagemaker', 'detail-type': 'SageMaker Model Package State Change', detail: { ModelPackageGroupName: 'g', ModelApprovalStatus: 'Approved', ModelPackageArn: 'arn:x/1', Version: 3 } };
  it('matches values, prefixes, anything-but, numeric and exists as EventBridge does', () => {
    assert.ok(matchesPattern({ source: ['aws.sagemaker'], detail: { ModelApprovalStatus: ['Approved'] } }, event));
    assert.ok(!matchesPattern({ detail: { ModelApprovalStatus: ['Rejected'] } }, event));
    assert.ok(matchesPattern({ detail: { ModelPackageArn: [{ prefix: 'arn:x/' }], ModelPackageGroupName: [{ 'anything-but': ['h'] }] } }, event));
    assert.ok(matchesPattern({ detail: { Version: [{ numeric: ['>', 2, '<=', 3] }], Missing: [{ exists: false }] } }, event));
    assert.ok(matchesPattern({ source: ['aws.sagemaker'] }, { source: ['aws.sagemaker'] }), 'a list value matches when one element does');
  });
  it('builds the target input with an InputTransformer (a bare placeholder is the JSON value)', () => {
    const input = targetInput({ InputTransformer: { InputPathsMap: { arn: '$.detail.ModelPackageArn' }, InputTemplate: '{"modelPackageArn":<arn>,"text":"version <arn>"}' } }, event);
    assert.deepEqual(input, { modelPackageArn: 'arn:x/1', text: 'version arn:x/1' });
  });
});

describe('Lambda mocks follow the C# contracts', () => {
  it('run ids and job names (TrainingRunPlan.DeriveRunId, TuningJobName.Derive)', () => {
    assert.equal(deriveRunId('telemetry-20261129-0300'), 'telemetry-20261129-0300');
    assert.match(deriveRunId('a_b c'.replace(' ', '.')), /^a-b-c-[0-9a-f]{8}$/);
    const name = tuningJobName('xgb', 'rehearsal-tuning');
    assert.ok(name.length <= 32 && /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$/.test(name), name);
  });
  it('scale_pos_weight with four significant digits (PrepareRun.FormatScalePosWeight)', () => {
    assert.deepEqual([formatScalePosWeight(11880, 120), formatScalePosWeight(22, 7), formatScalePosWeight(100000, 3)], ['99', '3.143', '33333']);
  });
});

// ------------------------------------------------------------------ the drift baseline and the drift workflow
const LAKE = 'lake-bucket';
const PREPARE_ENV = { LAKE_BUCKET: LAKE, GLUE_DATABASE: 'lake_db', GLUE_TABLE: 'telemetry', LOOKBACK_DAYS: '30', MINIMUM_ROWS: '1000', MINIMUM_POSITIVES: '10', SCALE_POS_WEIGHT: 'auto', CODE_VERSION: 'abc', TUNED_HYPERPARAMETERS: 'eta', JOB_NAME_PREFIX: 'xgb' };
const DRIFT_ENV = { LAKE_BUCKET: LAKE, GLUE_DATABASE: 'lake_db', CAPTURE_TABLE: 'endpoint_capture', ENDPOINT_NAME: 'mlpipe-endpoint', WINDOW_HOURS: '24', PSI_WARN: '0.1', PSI_ALARM: '0.2', MINIMUM_ROWS: '100' };
const TODAY = '2026-12-06';
function world() {
  const functions = new Map([
    ['arn:prepare', { logicalId: 'PrepareRun', handler: 'Pipeline.PrepareRun', environment: PREPARE_ENV }],
    ['arn:drift', { logicalId: 'Drift', handler: 'Pipeline.Drift', environment: DRIFT_ENV }],
  ]);
  return new World({ account: '111122223333', region: 'us-east-1', functions, stacks: [], groups: ['models'], topics: [], today: TODAY });
}
const prepare = functionFor('Pipeline.PrepareRun');
const drift = functionFor('Pipeline.Drift');
const thrown = (fn) => {
  try {
    fn();
  } catch (e) {
    return `${e.errorType}: ${e.message}`;
  }
  return 'nothing thrown';
};
const getQueryResults = operation('athena', 'GetQueryResults');

describe('Athena GetQueryResults of a single-row SELECT', () => {
  it('names the outer select list\'s aliases, not a subquery\'s', () => {
    assert.deepEqual(outerAliases('SELECT\n    count(*) AS "rows",\n    sum(CASE WHEN x > 1 THEN 1 ELSE 0 END) AS "a__bin_0"\nFROM (\n    SELECT y AS "a", \'AS "no"\' AS z\n    FROM "db"."t"\n) AS requests'), ['rows', 'a__bin_0']);
  });
  it('answers a header and one row typed by alias, counts consistent with the rows, valid for the API model', () => {
    const w = world();
    const planned = prepare({ action: 'plan', executionName: 'run-1' }, PREPARE_ENV, TODAY, [], w.store);
    const set = athenaResultSet(w, planned.queries.baselineSummary);
    assert.equal(set.Rows.length, 2);
    const cols = Object.fromEntries(set.ResultSetMetadata.ColumnInfo.map((c, i) => [c.Name, [c.Type, set.Rows[1].Data[i].VarCharValue]]));
    assert.deepEqual(cols.rows, ['bigint', w.athena.counts.rows]);
    assert.deepEqual(cols.torque_nm__count, ['bigint', w.athena.counts.rows]);
    assert.equal(cols.torque_nm__sd[0], 'double');
    assert.equal(cols.torque_nm__edges[0], 'array');
    assert.match(cols.torque_nm__edges[1], /^\[\d+(\.\d+)?(, \d+(\.\d+)?){8}\]$/);
    const categories = ['L', 'M', 'H'].map((v) => Number(cols[`product_quality__is__${v}`][1]));
    assert.equal(categories.reduce((a, b) => a + b), Number(w.athena.counts.rows));
    assert.deepEqual(validate(loadModel('athena'), getQueryResults.output, { UpdateCount: 0, ResultSet: set }, '$'), []);
  });
});

describe('prepare-run: the drift baseline (lambdas/Pipeline.PrepareRun/README.md)', () => {
  it('plan returns the summary statement and the baseline location; an unknown action names the four', () => {
    const p = prepare({ action: 'plan', executionName: 'telemetry-20261129-0300' }, PREPARE_ENV, TODAY, [], world().store);
    assert.equal(p.s3.driftBaseline, `s3://${LAKE}/models/telemetry-20261129-0300/drift-baseline.json`);
    assert.match(p.queries.baselineSummary, /approx_percentile\(CAST\("torque_nm" AS DOUBLE\), ARRAY\[1E-1, .*9E-1\]\) AS "torque_nm__edges"/);
    assert.equal(thrown(() => prepare({ action: 'train' }, PREPARE_ENV, TODAY, [], world().store)), 'InvalidEventException: action is \'train\'; expected "plan", "decide", "baselineBins" or "baseline".');
  });
  it('baselineBins and baseline: the bin statement for the edges, the document written beside the model', () => {
    const w = world();
    const location = w.addDriftBaseline('run-1');
    assert.equal(location, `s3://${LAKE}/models/run-1/drift-baseline.json`);
    assert.deepEqual(w.s3Writes, [location]);
    const doc = JSON.parse(w.s3Objects.get(location));
    assert.equal(doc.rows, Number(w.athena.counts.rows));
    assert.deepEqual(doc.numeric.map((f) => [f.feature, f.binEdges.length, f.binShares.length]).slice(0, 2), [['air_temperature_k', 9, 10], ['process_temperature_k', 9, 10]]);
    assert.ok(Math.abs(doc.numeric[0].binShares.reduce((a, b) => a + b) - 1) < 1e-9);
  });
  it('refuses an empty train split, a missing window and a result without a bin column', () => {
    const w = world();
    const planned = prepare({ action: 'plan', executionName: 'run-1' }, PREPARE_ENV, TODAY, [], w.store);
    const summary = athenaResultSet(w, planned.queries.baselineSummary);
    assert.match(thrown(() => prepare({ action: 'baselineBins', summary }, PREPARE_ENV, TODAY, [], w.store)), /^InvalidEventException: window is missing/);
    const bins = athenaResultSet(w, prepare({ action: 'baselineBins', window: planned.window, summary }, PREPARE_ENV, TODAY, [], w.store).sql);
    const short = structuredClone(bins);
    short.Rows.forEach((r) => r.Data.pop());
    short.ResultSetMetadata.ColumnInfo.pop();
    assert.match(thrown(() => prepare({ action: 'baseline', executionName: 'run-1', window: planned.window, summary, bins: short }, PREPARE_ENV, TODAY, [], w.store)), /^InvalidEventException: bins has no column vibration_mm_s__bin_9; expected the baselineBins statement's GetQueryResults ResultSet\.$/);
    w.athena.counts = { rows: '0', positives: '0' };
    const empty = athenaResultSet(w, planned.queries.baselineSummary);
    assert.match(thrown(() => prepare({ action: 'baseline', executionName: 'run-1', window: planned.window, summary: empty, bins }, PREPARE_ENV, TODAY, [], w.store)), /The train split holds no rows/);
    assert.equal(w.s3Writes.length, 0);
  });
  it('evaluate requires run.s3.driftBaseline in the lake and records it as drift_baseline', () => {
    const evaluate = functionFor('Pipeline.Evaluate');
    const env = { LAKE_BUCKET: LAKE, MINIMUM_AUC: '0.8', REGRESSION_TOLERANCE: '0.01', AUTO_APPROVE: 'true' };
    const run = prepare({ action: 'plan', executionName: 'run-1' }, PREPARE_ENV, TODAY, [], world().store);
    const job = { TrainingJobName: 'xgb-run-1', TrainingJobStatus: 'Completed', FinalMetricDataList: [{ MetricName: 'validation:auc', Value: 0.91 }] };
    assert.equal(evaluate({ trainingJob: job, champion: null, run }, env, TODAY, []).customerMetadata.drift_baseline, `s3://${LAKE}/models/run-1/drift-baseline.json`);
    const elsewhere = { ...run, s3: { ...run.s3, driftBaseline: 's3://other/models/run-1/drift-baseline.json' } };
    assert.match(thrown(() => evaluate({ trainingJob: job, champion: null, run: elsewhere }, env, TODAY, [])), /^InvalidEventException: run\.s3\.driftBaseline is 's3:\/\/other/);
    assert.match(thrown(() => evaluate({ trainingJob: job, champion: null, run: { ...run, s3: { ...run.s3, driftBaseline: undefined } } }, env, TODAY, [])), /run\.s3\.driftBaseline is missing/);
  });
});

describe('the drift function (lambdas/Pipeline.Drift/README.md)', () => {
  const served = () => {
    const w = world();
    return { w, baseline: w.addDriftBaseline('run-1') };
  };
  it('plan: the window ends at the start time floored to the hour (or windowEnd), WINDOW_HOURS long; refusals', () => {
    const { w, baseline } = served();
    const p = drift({ action: 'plan', baseline, time: '2026-12-06T00:30:00.000Z', windowEnd: null }, DRIFT_ENV, TODAY, [], w.store);
    assert.deepEqual([p.window, p.baselineRun], [{ start: '2026-12-05T00:00:00Z', end: '2026-12-06T00:00:00Z' }, 'run-1']);
    assert.match(p.sql, /FROM "lake_db"\."endpoint_capture"\n {8}WHERE "endpoint" = 'mlpipe-endpoint'\n {12}AND "capture_hour" >= '2026\/12\/05\/00' AND "capture_hour" < '2026\/12\/06\/00'/);
    assert.match(thrown(() => drift({ action: 'plan', baseline, time: '2026-12-06T00:30:00.000Z', windowEnd: '2026-12-06T01:00:00Z' }, DRIFT_ENV, TODAY, [], w.store)), /windowEnd is 2026-12-06T01:00:00Z, after the execution's start time/);
    assert.match(thrown(() => drift({ action: 'plan', baseline: 's3://other/models/run-1/drift-baseline.json', time: '2026-12-06T00:30:00Z' }, DRIFT_ENV, TODAY, [], w.store)), /^InvalidEventException: baseline is 's3:\/\/other/);
    assert.equal(thrown(() => drift({ action: 'plan', baseline: `s3://${LAKE}/models/run-2/drift-baseline.json`, time: '2026-12-06T00:30:00Z' }, DRIFT_ENV, TODAY, [], w.store)), `FileNotFoundException: s3://${LAKE}/models/run-2/drift-baseline.json does not exist (NoSuchKey).`);
    assert.equal(thrown(() => drift({ action: 'judge' }, DRIFT_ENV, TODAY, [], w.store)), 'InvalidEventException: action is \'judge\'; expected "plan" or "assess".');
  });
  it('assess: Stable for the baseline\'s distribution, Alarm for a skewed one, InsufficientData below MINIMUM_ROWS; the report key', () => {
    const level = (setup) => {
      const { w, baseline } = served();
      setup(w);
      const p = drift({ action: 'plan', baseline, time: '2026-12-06T00:30:00.000Z' }, DRIFT_ENV, TODAY, [], w.store);
      const out = drift({ action: 'assess', baseline, window: p.window, result: athenaResultSet(w, p.sql) }, DRIFT_ENV, TODAY, [], w.store);
      assert.equal(out.report, `s3://${LAKE}/drift/mlpipe-endpoint/20261206T0000Z/report.json`);
      assert.ok(w.s3Objects.has(out.report));
      return out.level;
    };
    assert.equal(level(() => {}), 'Stable');
    assert.equal(level((w) => (w.athena.window.drift = true)), 'Alarm');
    assert.equal(level((w) => (w.athena.window.rows = 99)), 'InsufficientData');
  });
});

describe('the gate\'s drift support', () => {
  it('gives $$.Execution.StartTime the execution\'s start time', async () => {
    const definition = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'time.$': '$$.Execution.StartTime' }, End: true } } };
    const r = await execute(definition, {}, { handler: () => {}, execution: { id: 'x', name: 'x', roleArn: 'r', startTime: '2026-12-06T00:30:00.000Z' } });
    assert.deepEqual(r.output, { time: '2026-12-06T00:30:00.000Z' });
    assert.ok(new Date().getFullYear() >= 2024, 'Date is restored after the run starts');
  });
  it('renders a parameter with an override (makeResolver parameters) and tells a drift workflow by its function\'s handler', () => {
    const entries = loadTemplates([fixture]);
    const tpl = entries[0].tpl;
    tpl.Parameters = { ...(tpl.Parameters ?? {}), ModelPackageArn: { Type: 'String', Default: '' } };
    assert.equal(makeResolver(entries).value(entries[0], { Ref: 'ModelPackageArn' }), '');
    assert.equal(makeResolver(entries, { parameters: { ModelPackageArn: 'arn:p/1' } }).value(entries[0], { Ref: 'ModelPackageArn' }), 'arn:p/1');
    const definition = { StartAt: 'Plan', States: { Plan: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'arn:drift', Payload: {} }, End: true } } };
    assert.equal(workflowKind(definition, new Map([['arn:drift', { handler: 'Pipeline.Drift' }]])), 'drift');
    assert.equal(workflowKind(definition, new Map()), 'generic');
  });
});
