// Self-test of the policy gate: node --test tests/policy-gates/
// (JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 is set for the child processes.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from './gate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const gate = path.join(here, 'gate.mjs');
const fixture = (name) => path.join(here, 'fixtures', name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-gate-test-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

// The gate's command line, run in this process: aws-cdk-lib and cdk-nag load once for every case (a process each
// cost a second and a half of CPU). The usage case starts the script itself, for the exit code and stdout wiring.
async function runGate(templates, extra = []) {
  const report = path.join(tmp, `report-${Math.random().toString(36).slice(2)}.json`);
  let stdout = '';
  let stderr = '';
  const code = await cli(['--report', report, ...extra, ...templates], { out: (s) => (stdout += s), err: (s) => (stderr += s) });
  const json = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : undefined;
  return { code, stdout, stderr, report: json };
}

function runScript(args) {
  return spawnSync(process.execPath, [gate, ...args], { encoding: 'utf8', env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' } });
}

function writeVariant(name, mutate) {
  const tpl = JSON.parse(fs.readFileSync(fixture('suppressed.template.json'), 'utf8'));
  mutate(tpl);
  const f = path.join(tmp, name);
  fs.writeFileSync(f, JSON.stringify(tpl));
  return f;
}

// Cases interleave while cfn-guard (a process of its own per run) works.
describe('policy gate', { concurrency: 3 }, () => {
  it('insecure fixture fails with the expected cdk-nag rules and Control Tower controls', async () => {
    const r = await runGate([fixture('insecure.template.json')]);
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

  it('suppressed fixture passes and lists every suppression with its reason', async () => {
    const r = await runGate([fixture('suppressed.template.json')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.report.passed, true);
    assert.deepEqual(r.report.findings.nagSuppressed.map((s) => [s.ruleId, s.resource]).sort(), [
      ['AwsSolutions-KMS5', 'ImportedMaterialKey'],
      ['NIST.800.53.R5-KMSBackingKeyRotationEnabled', 'ImportedMaterialKey'],
      ['PCI.DSS.321-KMSBackingKeyRotationEnabled', 'ImportedMaterialKey'],
    ]);
    assert.match(r.report.findings.nagSuppressed[0].reason, /rotated manually/);
    assert.deepEqual(r.report.findings.controlsSuppressed.map((s) => [s.controlId, s.resource]), [['CT.KMS.PR.1', 'ImportedMaterialKey']]);
    assert.match(r.report.findings.controlsSuppressed[0].reason, /rotated manually/);
    assert.equal(r.report.totals.nagSuppressed, 3);
    assert.equal(r.report.totals.controlsSuppressed, 1);
    assert.equal(r.report.totals.controlsFailed, 0);
    assert.match(r.stdout, /SUPPR {3}AwsSolutions-KMS5 {2}ImportedMaterialKey {2}Key material/);
    assert.match(r.stdout, /SUPPR {3}CT\.KMS\.PR\.1 {2}ImportedMaterialKey {2}Key material/);
  });

  it('CDK-shaped template (params, rules, conditions, ImportValue, DependsOn, granular + stack-wide suppressions) passes', async () => {
    const r = await runGate([fixture('cdk-shaped.template.json')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const sup = r.report.findings.nagSuppressed.map((s) => `${s.ruleId}[${s.findingId}]`).sort();
    assert.deepEqual(sup, ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]']);
    assert.ok(r.report.findings.nagSuppressed.every((s) => s.reason.startsWith(`[${s.findingId}] `)));
  });

  it('granular IAM5 suppression that does not match the finding id is not honoured', async () => {
    const tpl = JSON.parse(fs.readFileSync(fixture('cdk-shaped.template.json'), 'utf8'));
    tpl.Resources.WriterRoleDefaultPolicyA1B2C3D4.Metadata.cdk_nag.rules_to_suppress[0].applies_to = ['Action::kms:GenerateDataKey', 'Resource::*'];
    const f = path.join(tmp, 'granular-miss.template.json');
    fs.writeFileSync(f, JSON.stringify(tpl));
    const r = await runGate([f]);
    assert.equal(r.code, 1);
    assert.deepEqual(r.report.findings.nagErrors.map((e) => e.findingId).sort(), ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*']);
  });

  it('Control Tower suppression without a reason is not honoured', async () => {
    const f = writeVariant('no-reason.template.json', (t) => delete t.Resources.ImportedMaterialKey.Metadata.guard.SuppressionReasons);
    const r = await runGate([f]);
    assert.equal(r.code, 1);
    assert.equal(r.report.findings.controlsFailed[0].controlId, 'CT.KMS.PR.1');
    assert.match(r.report.findings.controlsFailed[0].note, /SuppressionReasons/);
  });

  it('Control Tower suppression accepts the rule file name and guard rule name as aliases', async () => {
    const f = writeVariant('alias.template.json', (t) => {
      t.Resources.ImportedMaterialKey.Metadata.guard = {
        SuppressedRules: ['ct-kms-pr-1'],
        SuppressionReasons: { kms_key_rotation_enabled_check: 'Rotation handled by the key-custody runbook.' },
      };
    });
    const r = await runGate([f]);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.report.findings.controlsSuppressed[0].controlId, 'CT.KMS.PR.1');
  });

  it('unsuppressed violation in the suppressed fixture fails the gate', async () => {
    const f = writeVariant('unsuppressed.template.json', (t) => delete t.Resources.ImportedMaterialKey.Metadata);
    const r = await runGate([f]);
    assert.equal(r.code, 1);
    assert.deepEqual(r.report.findings.nagErrors.map((e) => e.ruleId).sort(), ['AwsSolutions-KMS5', 'NIST.800.53.R5-KMSBackingKeyRotationEnabled', 'PCI.DSS.321-KMSBackingKeyRotationEnabled']);
    assert.deepEqual(r.report.findings.controlsFailed.map((e) => e.controlId), ['CT.KMS.PR.1']);
  });

  it('an unsuppressed warning fails the gate; suppressed with a reason, it passes', async () => {
    // A VPC whose default security group CloudFormation cannot see closed: a warning in the three compliance packs.
    const tpl = {
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
        FlowLog: { Type: 'AWS::EC2::FlowLog', Properties: { ResourceId: { Ref: 'Vpc' }, ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-logs-bucket' } },
      },
    };
    const warned = path.join(tmp, 'warning.template.json');
    fs.writeFileSync(warned, JSON.stringify(tpl));
    const packs = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];
    tpl.Resources.Vpc.Metadata = { cdk_nag: { rules_to_suppress: packs.map((p) => ({ id: `${p}-VPCDefaultSecurityGroupClosed`, reason: 'Its default group is emptied at deployment by a custom resource.' })) } };
    const suppressed = path.join(tmp, 'warning-suppressed.template.json');
    fs.writeFileSync(suppressed, JSON.stringify(tpl));

    const r = await runGate([warned]);
    assert.equal(r.code, 1);
    assert.deepEqual(r.report.findings.nagErrors, []);
    assert.deepEqual(r.report.findings.nagWarnings.map((w) => w.ruleId).sort(), packs.map((p) => `${p}-VPCDefaultSecurityGroupClosed`));
    const s = await runGate([suppressed]);
    assert.equal(s.code, 0, s.stdout);
    assert.equal(s.report.totals.nagSuppressed, 3);
  });

  it('cdk-nag suppression with a too-short reason is a tool failure (exit 2)', async () => {
    const f = writeVariant('short-reason.template.json', (t) => (t.Resources.ImportedMaterialKey.Metadata.cdk_nag.rules_to_suppress[0].reason = 'short'));
    const r = await runGate([f]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /10 characters/);
    assert.equal(r.report.exitCode, 2);
  });

  it('usage and unreadable templates exit 2', async () => {
    assert.equal((await runGate([])).code, 2);
    const r = await runGate([path.join(tmp, 'does-not-exist.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /template unreadable/);
    const noReport = runScript([fixture('suppressed.template.json')]);
    assert.equal(noReport.status, 2);
    assert.match(noReport.stderr, /--report is required/);
    assert.match(runScript(['--help']).stdout, /^usage: node tests\/policy-gates\/gate\.mjs --report/);
  });

  it('the script prints the summary and exits with the result: 0 for a passing template, 1 for findings', () => {
    const passing = runScript(['--report', path.join(tmp, 'script-pass.json'), fixture('suppressed.template.json')]);
    assert.equal(passing.status, 0, passing.stderr);
    assert.match(passing.stdout, /RESULT: PASS \(exit 0\)/);
    const failing = runScript(['--report', path.join(tmp, 'script-fail.json'), fixture('insecure.template.json')]);
    assert.equal(failing.status, 1, failing.stderr);
    assert.match(failing.stdout, /RESULT: FAIL \(exit 1\)/);
  });

  it('rules left out of the cfn-guard batch (no template has their types) are exactly those the whole directory reports not applicable', async () => {
    const templates = ['insecure.template.json', 'cdk-shaped.template.json', 'xstack-exporter.template.json'].map(fixture);
    const work = path.join(tmp, 'selection-work');
    const r = await runGate(templates, ['--work', work]);
    const base = path.dirname(fileURLToPath(import.meta.resolve('@cdklabs/cdk-validator-cfnguard/package.json')));
    const guard = path.join(base, 'bin', 'ubuntu', process.arch === 'arm64' ? 'aarch64' : 'x86_64', 'cfn-guard');
    const data = templates.map((_, i) => ['--data', path.join(work, `guard-${i + 1}.template.json`)]).flat();
    const whole = spawnSync(guard, ['validate', ...data, '--rules', path.join(base, 'rules', 'control-tower', 'cfn-guard'), '--output-format', 'json', '--show-summary', 'none', '--structured'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.ok(whole.status === 0 || whole.status === 19, whole.stderr);
    const results = JSON.parse(whole.stdout);
    r.report.templates.forEach((tr, i) => {
      const full = results.find((e) => path.basename(e.name) === `guard-${i + 1}.template.json`);
      const failing = new Set((full.not_compliant ?? []).map((n) => (n.Rule ?? n).name));
      const expected = (c) => (failing.has(c.ruleName) ? ['fail', 'suppressed'] : full.compliant.includes(c.ruleName) ? ['pass'] : ['not_applicable']);
      for (const c of tr.controls.results) assert.ok(expected(c).includes(c.status), `${tr.template} ${c.controlId}: gate ${c.status}, whole directory ${expected(c)}`);
    });
    assert.ok(r.report.templates.flatMap((tr) => tr.controls.results).some((c) => c.status === 'fail'));
  });

  it('a template with no type any Control Tower rule names: every control not applicable, no cfn-guard run', async () => {
    const f = path.join(tmp, 'no-controls.template.json');
    fs.writeFileSync(f, JSON.stringify({ Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } }));
    const r = await runGate([f]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.report.totals.controlsEvaluated, 0);
    assert.equal(r.report.guardDurationMs, 0);
  });

  it('several templates in one run, real `cdk synth` output included', async () => {
    const out = path.join(tmp, 'sample');
    const synth = spawnSync(process.execPath, [path.join(here, 'samples', 'cdk-sample-app.mjs'), out], {
      encoding: 'utf8',
      env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', JSII_DEPRECATED: 'quiet' },
    });
    assert.equal(synth.status, 0, synth.stderr);
    const r = await runGate([path.join(out, 'SampleNetwork.template.json'), path.join(out, 'SamplePipeline.template.json'), fixture('suppressed.template.json')]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.report.templates.length, 3);
    assert.equal(r.report.templates[2].passed, true);
    const ids = new Set(r.report.findings.nagErrors.map((e) => `${e.ruleId}[${e.findingId}]`));
    assert.ok(ids.has('AwsSolutions-IAM5[Action::kms:GenerateDataKey*]'));
    assert.ok(ids.has('AwsSolutions-IAM5[Action::s3:GetObject*]'));
    assert.ok([...ids].some((i) => i.startsWith('AwsSolutions-IAM5[Resource::<RawBucket')));
    assert.ok(ids.has('AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]'));
    // Cross-stack references of real CDK output are resolved for the Control Tower pass.
    assert.equal(r.report.unresolvedImports.length, 0, JSON.stringify(r.report.unresolvedImports));
    assert.ok(r.report.importsResolved.length >= 5);
    assert.ok(r.report.importsResolved.every((i) => i.template.endsWith('SamplePipeline.template.json') && i.exportingTemplate.endsWith('SampleNetwork.template.json')));
    const pipeline = r.report.templates[1].controls.results;
    assert.ok(!pipeline.find((c) => c.controlId === 'CT.LAMBDA.PR.3').failedResources.some((id) => id.startsWith('Scorer')));
    assert.equal(pipeline.find((c) => c.controlId === 'CT.KINESIS.PR.1').status, 'pass');
    assert.equal(pipeline.find((c) => c.controlId === 'CT.SQS.PR.2').status, 'pass');
  });

  // ---------------------------------------------------------------- cross-stack imports
  const exporter = fixture('xstack-exporter.template.json');
  const importer = fixture('xstack-importer.template.json');
  const controlStatus = (tr, id) => tr.controls.results.find((c) => c.controlId === id).status;
  const readFixture = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
  function writeTo(dir, name, tpl) {
    fs.mkdirSync(dir, { recursive: true });
    const f = path.join(dir, name);
    fs.writeFileSync(f, JSON.stringify(tpl, null, 1));
    return f;
  }

  it('cross-stack: imports resolved from the exporter pass CT.CLOUDWATCH.PR.3 and CT.LAMBDA.PR.3; cdk-nag unchanged', async () => {
    const both = await runGate([exporter, importer]);
    assert.equal(both.report.templates.length, 2, both.stderr);
    const imp = both.report.templates[1];
    assert.equal(controlStatus(imp, 'CT.CLOUDWATCH.PR.3'), 'pass');
    assert.equal(controlStatus(imp, 'CT.LAMBDA.PR.3'), 'pass');
    assert.equal(imp.controls.counts.failed, 0);
    assert.deepEqual(both.report.unresolvedImports, []);
    const byPath = Object.fromEntries(both.report.importsResolved.map((i) => [i.path, i]));
    assert.equal(both.report.importsResolved.length, 4);
    const key = byPath['/Resources/ScorerLogGroup5C7DA0E1/Properties/KmsKeyId'];
    assert.equal(key.template, importer);
    assert.equal(key.exportingTemplate, exporter);
    assert.equal(key.exportName, 'xstack-exporter:ExportsOutputFnGetAttDataKey8F3FE3A4Arn9F3F5F2A');
    assert.equal(key.resourceType, 'AWS::KMS::Key');
    assert.match(key.placeholder, /^arn:aws:kms:us-east-1:111111111111:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(byPath['/Resources/Scorer2C234F2E/Properties/VpcConfig/SubnetIds/0'].placeholder, /^subnet-[0-9a-f]{17}$/);
    // export name Fn::Sub "${AWS::StackName}:..." with the stack name taken from the file name
    const sg = byPath['/Resources/Scorer2C234F2E/Properties/VpcConfig/SecurityGroupIds/0'];
    assert.equal(sg.exportName, 'xstack-exporter:LambdaSecurityGroupId');
    assert.match(sg.placeholder, /^sg-[0-9a-f]{17}$/);
    // untyped position (IAM policy Resource) gets the same placeholder
    assert.equal(byPath['/Resources/ScorerRoleDefaultPolicy4E5F6A7B/Properties/PolicyDocument/Statement/0/Resource'].placeholder, key.placeholder);
    assert.equal(both.report.totals.importsResolved, 4);
    assert.equal(both.report.totals.importsUnresolved, 0);
    assert.match(both.stdout, /Cross-stack imports \(Control Tower pass only\): 4 Fn::ImportValue resolved to placeholders, 0 unresolved/);

    // cdk-nag sees the original template: identical results with or without the exporter
    const alone = await runGate([importer]);
    const nagOf = (tr) => tr.nag.findings.map((f) => `${f.ruleId}[${f.findingId}] ${f.resource} ${f.compliance}`).sort();
    assert.deepEqual(nagOf(alone.report.templates[0]), nagOf(imp));
  });

  it('cross-stack: an import whose exporter is not among the inputs fails the typed controls and is listed as unresolved', async () => {
    const r = await runGate([importer]);
    assert.equal(r.code, 1);
    const tr = r.report.templates[0];
    assert.equal(controlStatus(tr, 'CT.CLOUDWATCH.PR.3'), 'fail');
    assert.equal(controlStatus(tr, 'CT.LAMBDA.PR.3'), 'fail');
    assert.equal(r.report.importsResolved.length, 0);
    assert.equal(r.report.unresolvedImports.length, 4);
    assert.ok(r.report.unresolvedImports.every((u) => u.exportingTemplate === null && /no input template exports/.test(u.reason)));
    // typed positions keep the Fn::ImportValue (placeholder null); untyped ones get the marked generic literal
    const typed = r.report.unresolvedImports.filter((u) => u.placeholder === null).map((u) => u.path.split('/Properties/')[1]).sort();
    assert.deepEqual(typed, ['KmsKeyId', 'VpcConfig/SecurityGroupIds/0', 'VpcConfig/SubnetIds/0']);
    const generic = r.report.unresolvedImports.find((u) => u.placeholder !== null);
    assert.equal(generic.placeholder, 'imported:xstack-exporter:ExportsOutputFnGetAttDataKey8F3FE3A4Arn9F3F5F2A');
    const logFailure = r.report.findings.controlsFailed.find((f) => f.controlId === 'CT.CLOUDWATCH.PR.3');
    assert.equal(logFailure.unresolvedImports[0].exportName, 'xstack-exporter:ExportsOutputFnGetAttDataKey8F3FE3A4Arn9F3F5F2A');
    assert.equal(r.report.findings.controlsFailed.find((f) => f.controlId === 'CT.LAMBDA.PR.3').unresolvedImports.length, 2);
    assert.match(r.stdout, /UNRESOLVED {2}xstack-exporter:LambdaSecurityGroupId/);
    assert.match(r.stdout, /0 Fn::ImportValue resolved to placeholders, 4 unresolved/);
  });

  it('cross-stack: an import that resolves to the wrong resource type fails the typed control', async () => {
    const tpl = readFixture(importer);
    // KmsKeyId imports the subnet export, SubnetIds imports the security group export
    tpl.Resources.ScorerLogGroup5C7DA0E1.Properties.KmsKeyId = { 'Fn::ImportValue': 'xstack-exporter:ExportsOutputRefVpcIsolatedSubnet1SubnetE48C5737A1B2C3D4' };
    tpl.Resources.Scorer2C234F2E.Properties.VpcConfig.SubnetIds = [{ 'Fn::ImportValue': 'xstack-exporter:LambdaSecurityGroupId' }];
    const f = writeTo(path.join(tmp, 'wrong-type'), 'wrong-type.template.json', tpl);
    const r = await runGate([exporter, f]);
    assert.equal(r.code, 1);
    const tr = r.report.templates[1];
    assert.equal(controlStatus(tr, 'CT.CLOUDWATCH.PR.3'), 'fail');
    assert.equal(controlStatus(tr, 'CT.LAMBDA.PR.3'), 'fail');
    const mismatch = r.report.unresolvedImports.map((u) => [u.path.split('/Properties/')[1], u.placeholder, u.exportingTemplate]);
    assert.deepEqual(mismatch.sort(), [['KmsKeyId', null, exporter], ['VpcConfig/SubnetIds/0', null, exporter]]);
    assert.match(r.report.unresolvedImports.find((u) => u.path.endsWith('KmsKeyId')).reason, /type mismatch: the export is AWS::EC2::Subnet \(Ref VpcIsolatedSubnet1SubnetE48C5737\), CT\.CLOUDWATCH\.PR\.3 needs AWS::KMS::Key/);
    assert.deepEqual(r.report.unresolvedImports.find((u) => u.path.endsWith('SubnetIds/0')).expectedTypes, ['AWS::EC2::Subnet']);
    // the correctly typed imports (security group, IAM policy resource) are still resolved
    assert.equal(r.report.importsResolved.length, 2);
  });

  it('cross-stack: stack name from the cloud assembly manifest, Fn::Split/Fn::Select list exports, literal exports', async () => {
    const dir = path.join(tmp, 'assembly');
    const exp = readFixture(exporter);
    // CDK-style literal export names carry the manifest's stackName, not the artifact id
    for (const [id, o] of Object.entries(exp.Outputs)) o.Export.Name = typeof o.Export.Name === 'string' ? o.Export.Name.replace('xstack-exporter:', 'mlpipe-sandbox-security-baseline:') : o.Export.Name;
    exp.Outputs.SubnetList = { Value: { 'Fn::Join': [',', [{ Ref: 'VpcIsolatedSubnet1SubnetE48C5737' }, 'subnet-0123456789abcdef0']] }, Export: { Name: { 'Fn::Join': [':', [{ Ref: 'AWS::StackName' }, 'SubnetList']] } } };
    exp.Outputs.LiteralKeyAlias = { Value: 'alias/pipeline-data', Export: { Name: 'mlpipe-sandbox-security-baseline:KeyAlias' } };
    writeTo(dir, 'SecurityBaseline.template.json', exp);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '36.0.0', artifacts: {
      SecurityBaseline: { type: 'aws:cloudformation:stack', environment: 'aws://222222222222/eu-central-1', properties: { templateFile: 'SecurityBaseline.template.json', stackName: 'mlpipe-sandbox-security-baseline' } },
      Ingestion: { type: 'aws:cloudformation:stack', environment: 'aws://222222222222/eu-central-1', properties: { templateFile: 'Ingestion.template.json', stackName: 'mlpipe-sandbox-ingestion' } },
    } }));
    const imp = readFixture(importer);
    imp.Resources.ScorerLogGroup5C7DA0E1.Properties.KmsKeyId = { 'Fn::ImportValue': 'mlpipe-sandbox-security-baseline:ExportsOutputFnGetAttDataKey8F3FE3A4Arn9F3F5F2A' };
    imp.Resources.Scorer2C234F2E.Properties.VpcConfig.SubnetIds = { 'Fn::Split': [',', { 'Fn::ImportValue': 'mlpipe-sandbox-security-baseline:SubnetList' }] };
    imp.Resources.Scorer2C234F2E.Properties.VpcConfig.SecurityGroupIds = [{ 'Fn::ImportValue': { 'Fn::Sub': 'mlpipe-sandbox-security-baseline:LambdaSecurityGroupId' } }];
    imp.Resources.ScorerRoleDefaultPolicy4E5F6A7B.Properties.PolicyDocument.Statement[0].Resource = { 'Fn::Join': ['', ['arn:aws:kms:eu-central-1:222222222222:', { 'Fn::ImportValue': 'mlpipe-sandbox-security-baseline:KeyAlias' }]] };
    imp.Resources.Notebook = { Type: 'AWS::SageMaker::NotebookInstance', Properties: { InstanceType: 'ml.t3.medium', RoleArn: { 'Fn::GetAtt': ['ScorerRole7A1B2C3D', 'Arn'] }, DirectInternetAccess: 'Disabled', RootAccess: 'Disabled',
      SubnetId: { 'Fn::Select': [1, { 'Fn::Split': [',', { 'Fn::ImportValue': 'mlpipe-sandbox-security-baseline:SubnetList' }] }] },
      SecurityGroupIds: [{ 'Fn::ImportValue': 'mlpipe-sandbox-security-baseline:LambdaSecurityGroupId' }] } };
    imp.Resources.Stream = { Type: 'AWS::Kinesis::Stream', Properties: { StreamEncryption: { EncryptionType: 'KMS', KeyId: { 'Fn::ImportValue': 'mlpipe-sandbox-security-baseline:KeyAlias' } }, RetentionPeriodHours: 24 } };
    const f = writeTo(dir, 'Ingestion.template.json', imp);
    const work = path.join(tmp, 'assembly-work');
    const r = await runGate([path.join(dir, 'SecurityBaseline.template.json'), f], ['--work', work]);
    const tr = r.report.templates[1];
    assert.deepEqual(r.report.unresolvedImports, []);
    assert.equal(controlStatus(tr, 'CT.CLOUDWATCH.PR.3'), 'pass');
    assert.equal(controlStatus(tr, 'CT.LAMBDA.PR.3'), 'pass');
    assert.equal(controlStatus(tr, 'CT.KINESIS.PR.1'), 'pass');
    assert.equal(controlStatus(tr, 'CT.SAGEMAKER.PR.2'), 'pass');
    const guardInput = JSON.parse(fs.readFileSync(path.join(work, 'guard-2.template.json'), 'utf8')).Resources;
    assert.equal(guardInput.Notebook.Properties.SubnetId, 'subnet-0123456789abcdef0');
    assert.equal(guardInput.Scorer2C234F2E.Properties.VpcConfig.SubnetIds.length, 2);
    assert.equal(guardInput.ScorerRoleDefaultPolicy4E5F6A7B.Properties.PolicyDocument.Statement[0].Resource, 'arn:aws:kms:eu-central-1:222222222222:alias/pipeline-data');
    const byPath = Object.fromEntries(r.report.importsResolved.map((i) => [i.path, i]));
    assert.match(byPath['/Resources/ScorerLogGroup5C7DA0E1/Properties/KmsKeyId'].placeholder, /^arn:aws:kms:eu-central-1:222222222222:key\//);
    assert.match(byPath['/Resources/Scorer2C234F2E/Properties/VpcConfig/SubnetIds/Fn::Split/1'].placeholder, /^subnet-[0-9a-f]{17},subnet-0123456789abcdef0$/);
    assert.equal(byPath['/Resources/Scorer2C234F2E/Properties/VpcConfig/SecurityGroupIds/0'].exportingStack, 'mlpipe-sandbox-security-baseline');
    assert.equal(byPath['/Resources/Stream/Properties/StreamEncryption/KeyId'].placeholder, 'alias/pipeline-data');
    assert.equal(byPath['/Resources/Stream/Properties/StreamEncryption/KeyId'].resourceType, 'AWS::KMS::Alias');
  });
});
