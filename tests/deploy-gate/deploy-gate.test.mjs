// Self-test of the deployability gate: node --test tests/deploy-gate/
// The checks run in this process on one validator (building its engine costs about 1.4 s); only the command-line
// contract is tested through a child process. Fixture runs fix `today`, so verdicts do not move with the calendar.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTemplates, loadRuntimeTable, openValidator, renderIntrinsic, runtimeStatus, runtimeValues, summaryText } from './deploy-gate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const gate = path.join(here, 'deploy-gate.mjs');
const fixture = (name) => path.join(here, 'fixtures', name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-gate-test-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const TODAY = '2026-11-29';

function variant(name, mutate) {
  const tpl = JSON.parse(fs.readFileSync(fixture('deployable.template.json'), 'utf8'));
  mutate(tpl);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(tpl, null, 2));
  return file;
}

const runtimesOf = (r) => r.templates.flatMap((t) => t.runtimes.map((x) => `${x.resource} ${x.runtime} ${x.status}`)).sort();

describe('deploy gate', () => {
  let validator;
  before(() => (validator = openValidator()));
  after(() => validator.close());
  const check = (files, today = TODAY) => checkTemplates(validator, files, today);

  it('deployable template passes: no FATAL or ERROR, every runtime supported', () => {
    const r = check([fixture('deployable.template.json')]);
    assert.equal(r.exitCode, 0, summaryText(r));
    assert.equal(r.totals.FATAL + r.totals.ERROR, 0);
    assert.deepEqual(runtimesOf(r), ['LiteralRuntimeFunction nodejs24.x supported', 'MappedRuntimeFunction nodejs24.x supported']);
    assert.deepEqual(r.templates[0].stateMachines, [{ resource: 'StateMachine', valid: true, errors: [] }]);
    assert.match(summaryText(r), /RESULT: PASS \(exit 0\)/);
  });

  it('property outside its schema (apostrophe in a security group description) fails with F3031', () => {
    const r = check([fixture('invalid-property.template.json')]);
    assert.equal(r.exitCode, 1);
    assert.deepEqual(r.templates[0].blocking.map((d) => `${d.severity} ${d.ruleId} ${d.resource} ${d.path}`), ['FATAL F3031 FunctionSecurityGroup Properties.GroupDescription']);
    assert.match(summaryText(r), /FATAL F3031 +1/);
    assert.match(summaryText(r), /RESULT: FAIL \(exit 1\)/);
  });

  it('blocked runtimes, from a CDK-style region map and a literal, fail once creation is blocked', () => {
    const r = check([fixture('blocked-runtime.template.json')], '2027-02-01');
    assert.equal(r.exitCode, 1);
    assert.deepEqual(runtimesOf(r), ['LiteralRuntimeFunction python3.8 blocked', 'MappedRuntimeFunction nodejs18.x blocked', 'MappedRuntimeFunction nodejs20.x blocked']);
    assert.match(summaryText(r), /AWS Lambda blocks creating nodejs20\.x functions since 2027-02-01/);
  });

  it('deprecated runtimes fail before their block date', () => {
    const r = check([fixture('blocked-runtime.template.json')]);
    assert.equal(r.exitCode, 1);
    assert.deepEqual(runtimesOf(r), ['LiteralRuntimeFunction python3.8 deprecated', 'MappedRuntimeFunction nodejs18.x deprecated', 'MappedRuntimeFunction nodejs20.x deprecated']);
    assert.equal(r.totals.runtimesDeprecated, 3);
  });

  it('a supported runtime fails from its deprecation date on', () => {
    const r = check([fixture('deployable.template.json')], '2028-04-30');
    assert.equal(r.exitCode, 1);
    assert.deepEqual(runtimesOf(r), ['LiteralRuntimeFunction nodejs24.x deprecated', 'MappedRuntimeFunction nodejs24.x deprecated']);
  });

  it('a runtime missing from the table, or one a parameter leaves open, fails', () => {
    const file = variant('unknown-runtime.template.json', (t) => {
      t.Parameters = { FunctionRuntime: { Type: 'String', Default: 'nodejs24.x' } };
      t.Resources.LiteralRuntimeFunction.Properties.Runtime = 'nodejs99.x';
      t.Resources.MappedRuntimeFunction.Properties.Runtime = { Ref: 'FunctionRuntime' };
    });
    const r = check([file]);
    assert.equal(r.exitCode, 1);
    assert.deepEqual(runtimesOf(r), ['LiteralRuntimeFunction nodejs99.x unknown', 'MappedRuntimeFunction null unresolved']);
    assert.equal(r.totals.runtimesUnknown, 2);
  });

  it('a state machine whose transition names no state fails, and so does one with an invalid path', () => {
    const missingTarget = check([fixture('invalid-state-machine.template.json')]);
    const badPath = check([variant('bad-path.template.json', (t) => {
      const parts = t.Resources.StateMachine.Properties.DefinitionString['Fn::Join'][1];
      parts[parts.length - 1] = parts[parts.length - 1].replace('"ResultPath":"$.prepared"', '"ResultPath":"prepared"');
    })]);
    assert.equal(missingTarget.exitCode, 1);
    assert.deepEqual(missingTarget.templates[0].stateMachines, [{
      resource: 'StateMachine',
      valid: false,
      errors: ['MISSING_TRANSITION_TARGET: State Done is not reachable', "MISSING_TRANSITION_TARGET: Missing 'StartAt'|'Next'|'Default' target: Finish"],
    }]);
    assert.equal(badPath.exitCode, 1);
    assert.deepEqual(badPath.templates[0].stateMachines[0].errors, ['SCHEMA_VALIDATION_FAILED: /States/Prepare/ResultPath is invalid. must match format "asl_result_path"']);
    assert.match(summaryText(badPath), /state machines: 1 checked, 1 invalid/);
  });

  it('a Definition object with intrinsic functions is checked with placeholders', () => {
    const r = check([variant('definition-object.template.json', (t) => {
      const props = t.Resources.StateMachine.Properties;
      delete props.DefinitionString;
      props.Definition = {
        StartAt: 'Invoke',
        States: { Invoke: { Type: 'Task', Resource: { 'Fn::GetAtt': ['LiteralRuntimeFunction', 'Arn'] }, End: true } },
      };
    })]);
    assert.equal(r.exitCode, 0, summaryText(r));
    assert.deepEqual(r.templates[0].stateMachines, [{ resource: 'StateMachine', valid: true, errors: [] }]);
  });

  it('a managed policy over 6,144 characters, or inline policies over 10,240 on one role, fails; at the limit passes', () => {
    // Each statement is 66 characters without white space plus its action name; the documents are sized around the quotas.
    const statements = (n, width) => Array.from({ length: n }, (_, i) => ({ Effect: 'Allow', Action: `s3:GetObject${String(i).padStart(width, '0')}`, Resource: '*' }));
    const sized = (n, width) => ({ Version: '2012-10-17', Statement: statements(n, width) });
    const chars = (doc) => JSON.stringify(doc).length;
    let n = 1;
    while (chars(sized(n + 1, 4)) <= 6144) n++;
    const atLimit = variant('policy-at-limit.template.json', (t) => {
      t.Resources.AtLimit = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: sized(n, 4) } };
    });
    const over = variant('policy-over.template.json', (t) => {
      t.Resources.TooLarge = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: sized(n + 1, 4) } };
      t.Resources.InlineRole = {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
          Policies: [{ PolicyName: 'a', PolicyDocument: sized(n, 4) }, { PolicyName: 'b', PolicyDocument: sized(n, 4) }],
        },
      };
    });

    assert.deepEqual(check([atLimit]).policySizes.filter((p) => p.resource === 'AtLimit').map((p) => [p.ok, p.chars <= 6144]), [[true, true]]);
    const r = check([over]);
    assert.equal(r.exitCode, 1);
    assert.deepEqual(r.policySizes.filter((p) => !p.ok).map((p) => `${p.resource} ${p.kind} ${p.limit}`).sort(), ['InlineRole inline 10240', 'TooLarge managed 6144']);
    assert.match(summaryText(r), /TOO LARGE {2}TooLarge \(managed\) {2}\d+ characters, IAM allows 6144/);
  });

  it('a WARN fails unless acknowledged; the acknowledged CDK DependsOn pattern passes with its reason', () => {
    const ok = check([variant('acknowledged-warn.template.json', (t) => (t.Resources.LiteralRuntimeFunction.DependsOn = ['FunctionRole1A2B3C4D']))]);
    const bad = check([variant('unacknowledged-warn.template.json', (t) => (t.Resources.FunctionSecurityGroup.DependsOn = ['Vpc']))]);
    assert.equal(ok.exitCode, 0, summaryText(ok));
    assert.deepEqual(ok.templates[0].acknowledged.map((d) => `${d.ruleId} ${d.resource}`), ['W3005 LiteralRuntimeFunction']);
    assert.match(ok.templates[0].acknowledged[0].reason, /redundant, not wrong/);
    assert.deepEqual(ok.acknowledgements.filter((a) => a.ruleId === 'W3005').map((a) => a.used), [1]);
    assert.equal(bad.exitCode, 1);
    assert.deepEqual(bad.templates[0].unacknowledged.map((d) => `${d.ruleId} ${d.resource}`), ['W3005 FunctionSecurityGroup']);
    assert.match(summaryText(bad), /W3005 +FunctionSecurityGroup .*\(not acknowledged\)/);
  });
});

describe('deploy gate command line', () => {
  const run = (args) =>
    new Promise((resolve) =>
      execFile(process.execPath, [gate, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr })),
    );

  it('writes the report, prints the summary and exits 1 on findings', async () => {
    const report = path.join(tmp, 'cli-report.json');
    const r = await run(['--report', report, '--today', TODAY, fixture('invalid-property.template.json')]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(JSON.parse(fs.readFileSync(report, 'utf8')).totals.FATAL, 1);
    assert.match(r.stdout, /RESULT: FAIL \(exit 1\)/);
  });

  it('usage errors and missing templates exit 2', async () => {
    const report = path.join(tmp, 'unused.json');
    const [noTemplates, badDate, missing] = await Promise.all([
      run(['--report', report]),
      run(['--report', report, '--today', '29.11.2026', fixture('deployable.template.json')]),
      run(['--report', report, path.join(tmp, 'absent.template.json')]),
    ]);
    assert.equal(noTemplates.code, 2);
    assert.match(noTemplates.stderr, /at least one template is required/);
    assert.equal(badDate.code, 2);
    assert.match(badDate.stderr, /--today must be yyyy-MM-dd/);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /template not found/);
  });
});

describe('runtime resolution', () => {
  const tpl = {
    Mappings: { Map: { 'us-east-1': { value: 'nodejs24.x' }, 'cn-north-1': { value: 'nodejs20.x' } } },
    Parameters: { Limited: { Type: 'String', AllowedValues: ['python3.13', 'python3.14'] } },
  };

  it('a Fn::FindInMap keyed by a Ref yields every entry of the map', () => {
    assert.deepEqual(runtimeValues({ 'Fn::FindInMap': ['Map', { Ref: 'AWS::Region' }, 'value'] }, tpl), { values: ['nodejs24.x', 'nodejs20.x'] });
  });

  it('a literal key yields one entry, Fn::If both branches, a parameter its allowed values', () => {
    assert.deepEqual(runtimeValues({ 'Fn::FindInMap': ['Map', 'us-east-1', 'value'] }, tpl), { values: ['nodejs24.x'] });
    assert.deepEqual(runtimeValues({ 'Fn::If': ['C', 'dotnet10', { Ref: 'Limited' }] }, tpl), { values: ['dotnet10', 'python3.13', 'python3.14'] });
  });

  it('a lookup it cannot follow is unresolved, never passed', () => {
    assert.match(runtimeValues({ 'Fn::FindInMap': ['Absent', 'x', 'value'] }, tpl).unresolved, /names no mapping/);
    assert.match(runtimeValues({ 'Fn::Sub': 'nodejs${V}.x' }, tpl).unresolved, /cannot determine the runtime/);
  });

  it('intrinsic functions render to placeholders of the right shape', () => {
    assert.equal(renderIntrinsic({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:::sagemaker:createTrainingJob.sync']] }), 'arn:aws:states:::sagemaker:createTrainingJob.sync');
    assert.equal(renderIntrinsic({ 'Fn::GetAtt': ['Fn1', 'Arn'] }), 'arn:aws:placeholder:us-east-1:111111111111:Fn1');
    assert.equal(renderIntrinsic({ Ref: 'Topic' }), 'Topic');
    assert.equal(renderIntrinsic({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/x' }), 'arn:aws:s3:::Bucket/x');
  });

  it('the committed table knows the runtimes the app uses and dates every row', () => {
    const table = loadRuntimeTable();
    assert.match(table.readOn, /^\d{4}-\d{2}-\d{2}$/);
    for (const row of table.byId.values()) {
      for (const key of ['deprecated', 'blockCreate', 'blockUpdate']) assert.match(row[key], /^\d{4}-\d{2}-\d{2}$/, `${row.runtime}.${key}`);
      assert.ok(row.deprecated <= row.blockCreate && row.blockCreate <= row.blockUpdate, row.runtime);
    }
    assert.equal(runtimeStatus('dotnet10', table, TODAY).status, 'supported');
    assert.equal(runtimeStatus('nodejs24.x', table, TODAY).status, 'supported');
    assert.equal(runtimeStatus('nodejs20.x', table, TODAY).status, 'deprecated');
  });
});
