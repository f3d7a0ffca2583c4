// Self-test of the policy gate: node --test tests/policy-gates/
// (JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 is set for the child processes.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const gate = path.join(here, 'gate.mjs');
const fixture = (name) => path.join(here, 'fixtures', name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-gate-test-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function runGate(templates, extra = []) {
  const report = path.join(tmp, `report-${Math.random().toString(36).slice(2)}.json`);
  const res = spawnSync(process.execPath, [gate, '--report', report, ...extra, ...templates], {
    encoding: 'utf8',
    env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
  });
  const json = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : undefined;
  return { code: res.status, stdout: res.stdout, stderr: res.stderr, report: json };
}

function writeVariant(name, mutate) {
  const tpl = JSON.parse(fs.readFileSync(fixture('suppressed.template.json'), 'utf8'));
  mutate(tpl);
  const f = path.join(tmp, name);
  fs.writeFileSync(f, JSON.stringify(tpl));
  return f;
}

test('insecure fixture fails with the expected cdk-nag rules and Control Tower controls', () => {
  const r = runGate([fixture('insecure.template.json')]);
  assert.equal(r.code, 1, r.stderr);
  const nag = new Set(r.report.findings.nagErrors.map((f) => f.ruleId + (f.findingId ? `[${f.findingId}]` : '')));
  for (const id of ['AwsSolutions-S1', 'AwsSolutions-S10', 'AwsSolutions-KMS5', 'AwsSolutions-EC23', 'AwsSolutions-IAM5[Action::*]', 'AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-L1', 'AwsSolutions-VPC7', 'Serverless-LambdaDLQ', 'Serverless-LambdaLatestVersion', 'Serverless-LambdaDefaultMemorySize', 'Serverless-LambdaDefaultTimeout']) {
    assert.ok(nag.has(id), `missing cdk-nag error ${id}; got ${[...nag].join(', ')}`);
  }
  const warn = new Set(r.report.findings.nagWarnings.map((f) => f.ruleId));
  for (const id of ['Serverless-CloudWatchLogGroupRetentionPeriod', 'Serverless-LambdaTracing', 'Serverless-LambdaStarPermissions']) assert.ok(warn.has(id), `missing warning ${id}`);
  const ct = new Set(r.report.findings.controlsFailed.map((f) => `${f.controlId} ${f.resource}`));
  for (const id of ['CT.S3.PR.1 InsecureBucket', 'CT.S3.PR.2 InsecureBucket', 'CT.S3.PR.10 InsecureBucket', 'CT.S3.PR.11 InsecureBucket', 'CT.KMS.PR.1 UnrotatedKey', 'CT.KMS.PR.3 UnrotatedKey', 'CT.EC2.PR.3 SshOpenSecurityGroup', 'CT.EC2.PR.4 SshOpenSecurityGroup', 'CT.CLOUDWATCH.PR.3 PlainLogGroup', 'CT.IAM.PR.1 AdminRole', 'CT.IAM.PR.5 AdminRole', 'CT.LAMBDA.PR.3 OldRuntimeFunction']) {
    assert.ok(ct.has(id), `missing failed control ${id}; got ${[...ct].join(', ')}`);
  }
  assert.equal(r.report.totals.nagErrors, r.report.findings.nagErrors.length);
  assert.ok(r.report.totals.controlsFailed > 0);
  assert.match(r.stdout, /RESULT: FAIL \(exit 1\)/);
});

test('suppressed fixture passes and lists both suppressions with reasons', () => {
  const r = runGate([fixture('suppressed.template.json')]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.report.passed, true);
  assert.deepEqual(r.report.findings.nagSuppressed.map((s) => [s.ruleId, s.resource]), [['AwsSolutions-KMS5', 'ImportedMaterialKey']]);
  assert.match(r.report.findings.nagSuppressed[0].reason, /rotated manually/);
  assert.deepEqual(r.report.findings.controlsSuppressed.map((s) => [s.controlId, s.resource]), [['CT.KMS.PR.1', 'ImportedMaterialKey']]);
  assert.match(r.report.findings.controlsSuppressed[0].reason, /rotated manually/);
  assert.equal(r.report.totals.nagSuppressed, 1);
  assert.equal(r.report.totals.controlsSuppressed, 1);
  assert.equal(r.report.totals.controlsFailed, 0);
  assert.match(r.stdout, /SUPPR {3}AwsSolutions-KMS5 {2}ImportedMaterialKey {2}Key material/);
  assert.match(r.stdout, /SUPPR {3}CT\.KMS\.PR\.1 {2}ImportedMaterialKey {2}Key material/);
});

test('CDK-shaped template (params, rules, conditions, ImportValue, DependsOn, granular + stack-wide suppressions) passes', () => {
  const r = runGate([fixture('cdk-shaped.template.json')]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const sup = r.report.findings.nagSuppressed.map((s) => `${s.ruleId}[${s.findingId}]`).sort();
  assert.deepEqual(sup, ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]']);
  assert.ok(r.report.findings.nagSuppressed.every((s) => s.reason.startsWith(`[${s.findingId}] `)));
});

test('granular IAM5 suppression that does not match the finding id is not honoured', () => {
  const tpl = JSON.parse(fs.readFileSync(fixture('cdk-shaped.template.json'), 'utf8'));
  tpl.Resources.WriterRoleDefaultPolicyA1B2C3D4.Metadata.cdk_nag.rules_to_suppress[0].applies_to = ['Action::kms:GenerateDataKey', 'Resource::*'];
  const f = path.join(tmp, 'granular-miss.template.json');
  fs.writeFileSync(f, JSON.stringify(tpl));
  const r = runGate([f]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.report.findings.nagErrors.map((e) => e.findingId).sort(), ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*']);
});

test('Control Tower suppression without a reason is not honoured', () => {
  const f = writeVariant('no-reason.template.json', (t) => delete t.Resources.ImportedMaterialKey.Metadata.guard.SuppressionReasons);
  const r = runGate([f]);
  assert.equal(r.code, 1);
  assert.equal(r.report.findings.controlsFailed[0].controlId, 'CT.KMS.PR.1');
  assert.match(r.report.findings.controlsFailed[0].note, /SuppressionReasons/);
});

test('Control Tower suppression accepts the rule file name and guard rule name as aliases', () => {
  const f = writeVariant('alias.template.json', (t) => {
    t.Resources.ImportedMaterialKey.Metadata.guard = {
      SuppressedRules: ['ct-kms-pr-1'],
      SuppressionReasons: { kms_key_rotation_enabled_check: 'Rotation handled by the key-custody runbook.' },
    };
  });
  const r = runGate([f]);
  assert.equal(r.code, 0, r.stdout);
  assert.equal(r.report.findings.controlsSuppressed[0].controlId, 'CT.KMS.PR.1');
});

test('unsuppressed violation in the suppressed fixture fails the gate', () => {
  const f = writeVariant('unsuppressed.template.json', (t) => delete t.Resources.ImportedMaterialKey.Metadata);
  const r = runGate([f]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.report.findings.nagErrors.map((e) => e.ruleId), ['AwsSolutions-KMS5']);
  assert.deepEqual(r.report.findings.controlsFailed.map((e) => e.controlId), ['CT.KMS.PR.1']);
});

test('cdk-nag suppression with a too-short reason is a tool failure (exit 2)', () => {
  const f = writeVariant('short-reason.template.json', (t) => (t.Resources.ImportedMaterialKey.Metadata.cdk_nag.rules_to_suppress[0].reason = 'short'));
  const r = runGate([f]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /10 characters/);
  assert.equal(r.report.exitCode, 2);
});

test('usage and unreadable templates exit 2', () => {
  assert.equal(runGate([]).code, 2);
  const r = runGate([path.join(tmp, 'does-not-exist.json')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /template unreadable/);
  const noReport = spawnSync(process.execPath, [gate, fixture('suppressed.template.json')], { encoding: 'utf8' });
  assert.equal(noReport.status, 2);
  assert.match(noReport.stderr, /--report is required/);
});

test('several templates in one run, real `cdk synth` output included', () => {
  const out = path.join(tmp, 'sample');
  const synth = spawnSync(process.execPath, [path.join(here, 'samples', 'cdk-sample-app.mjs'), out], {
    encoding: 'utf8',
    env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', JSII_DEPRECATED: 'quiet' },
  });
  assert.equal(synth.status, 0, synth.stderr);
  const r = runGate([path.join(out, 'SampleNetwork.template.json'), path.join(out, 'SamplePipeline.template.json'), fixture('suppressed.template.json')]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.report.templates.length, 3);
  assert.equal(r.report.templates[2].passed, true);
  const ids = new Set(r.report.findings.nagErrors.map((e) => `${e.ruleId}[${e.findingId}]`));
  assert.ok(ids.has('AwsSolutions-IAM5[Action::kms:GenerateDataKey*]'));
  assert.ok(ids.has('AwsSolutions-IAM5[Action::s3:GetObject*]'));
  assert.ok([...ids].some((i) => i.startsWith('AwsSolutions-IAM5[Resource::<RawBucket')));
  assert.ok(ids.has('AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]'));
});
