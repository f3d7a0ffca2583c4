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
import { deriveRunId, formatScalePosWeight, tuningJobName } from './lib/lambdas.mjs';

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
