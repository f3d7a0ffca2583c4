// The scenarios each workflow is rehearsed through. A scenario prepares the account (World), starts one or more
// executions and states what AWS would end with: succeeded or failed with which Error, which calls were made, and
// every SNS notification (subject, and what its message must and must not say). Expectations are the intended
// behaviour: a scenario that fails names a defect of the definition (or of the rehearsal), it is never skipped.

import * as fs from 'node:fs';
import { apiError, stackEvent } from './aws.mjs';
import { matchesPattern, targetInput } from './eventbridge.mjs';

// ------------------------------------------------------------------ reading a definition
function* tasks(definition) {
  for (const [name, s] of Object.entries(definition.States ?? {})) {
    if (s.Type === 'Task') yield [name, s];
    for (const b of s.Branches ?? []) yield* tasks(b);
    if (s.ItemProcessor ?? s.Iterator) yield* tasks(s.ItemProcessor ?? s.Iterator);
  }
}
const resources = (definition) => [...tasks(definition)].map(([, s]) => s.Resource);
/** The first literal value of `key` in any Task's Parameters. */
export function parameterValue(definition, key) {
  const find = (node) => {
    if (Array.isArray(node)) return node.map(find).find((v) => v !== undefined);
    if (node && typeof node === 'object') {
      if (typeof node[key] === 'string') return node[key];
      return Object.values(node).map(find).find((v) => v !== undefined);
    }
    return undefined;
  };
  for (const [, s] of tasks(definition)) {
    const v = find(s.Parameters);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * Which workflow a definition is: train, promote, drift, or generic (no scenario knows it). `functions` (the
 * templates' Lambda functions by ARN) tells a drift workflow by the function it invokes (handler Pipeline.Drift).
 */
export function workflowKind(definition, functions = new Map()) {
  const r = resources(definition);
  const invoked = [...tasks(definition)].filter(([, s]) => s.Resource === 'arn:aws:states:::lambda:invoke').map(([, s]) => functions.get(s.Parameters?.FunctionName)?.handler);
  if (invoked.includes('Pipeline.Drift')) return 'drift';
  if (r.some((x) => x.startsWith('arn:aws:states:::sagemaker:createTrainingJob')) && r.includes('arn:aws:states:::lambda:invoke')) return 'train';
  if (r.includes('arn:aws:states:::aws-sdk:cloudformation:updateStack')) return 'promote';
  return 'generic';
}

// ------------------------------------------------------------------ README inputs
/** `aws stepfunctions start-execution` examples of the README: [{ machine: 'TrainStateMachineArn', input }]. */
export function readmeInputs(readmePath) {
  if (!fs.existsSync(readmePath)) return [];
  const text = fs.readFileSync(readmePath, 'utf8');
  const out = [];
  for (const m of text.matchAll(/start-execution\s+--state-machine-arn\s+<([A-Za-z]+)>\s*\\?\s*--input\s+'([^']*)'/g)) out.push({ machine: m[1], input: m[2] });
  return out;
}

// ------------------------------------------------------------------ shared expectations
const promotedSubject = 'Model promoted';
const promotionFailed = 'Promotion failed';
const trainingFailed = 'Training run failed';

const calls = (w, op, { faulted = true } = {}) => w.calls.filter((c) => c.operation === op && (faulted || !c.fault));
const successful = (w, op) => w.calls.filter((c) => c.operation === op && c.response !== undefined);

function trainSucceededChecks(ctx, { tuning }) {
  return (w) => {
    const problems = [];
    const created = successful(w, tuning ? 'CreateHyperParameterTuningJob' : 'CreateTrainingJob');
    if (created.length !== 1) problems.push(`expected one ${tuning ? 'tuning' : 'training'} job, ${created.length} created`);
    const other = successful(w, tuning ? 'CreateTrainingJob' : 'CreateHyperParameterTuningJob');
    if (other.length) problems.push(`expected no ${tuning ? 'single training' : 'tuning'} job, ${other.length} created`);
    const registered = successful(w, 'CreateModelPackage');
    if (registered.length !== 1) problems.push(`expected one model package registered, ${registered.length} were`);
    else {
      const req = registered[0].request;
      const auc = String(w.training.auc);
      if (req.CustomerMetadataProperties?.validation_auc !== auc) problems.push(`registered validation_auc ${req.CustomerMetadataProperties?.validation_auc}, expected ${auc} (what the next run's gate compares with)`);
      const expectedJob = tuning ? [...w.sagemaker.trainingJobs.keys()].find((n) => n.startsWith(created[0]?.request.HyperParameterTuningJobName ?? '\u0000')) : created[0]?.request.TrainingJobName;
      const url = req.InferenceSpecification?.Containers?.[0]?.ModelDataUrl ?? '';
      if (!expectedJob || !url.includes(`/${expectedJob}/output/model.tar.gz`)) problems.push(`registered ModelDataUrl ${url} is not the ${tuning ? 'best' : ''} training job's (${expectedJob}) artifact`);
      // The drift baseline: written beside the model, its location in the package's metadata (the drift workflow reads it).
      const planned = successful(w, 'Invoke').find((c) => c.request.Payload?.action === 'plan')?.response.Payload;
      const location = successful(w, 'Invoke').find((c) => c.request.Payload?.action === 'baseline')?.response.Payload?.location;
      const expected = planned?.s3?.driftBaseline;
      if (!location) problems.push('no drift baseline was written (prepare-run\'s "baseline" action did not answer)');
      else {
        if (location !== expected || !/^s3:\/\/[^/]+\/models\/[^/]+\/drift-baseline\.json$/.test(location)) problems.push(`the drift baseline was written to ${location}; expected the plan's s3.driftBaseline ${expected} (models/<run>/drift-baseline.json)`);
        if (!w.s3Writes.includes(location)) problems.push(`no S3 write of ${location}`);
        const recorded = req.CustomerMetadataProperties?.drift_baseline;
        if (recorded !== location) problems.push(`the registered package's CustomerMetadataProperties.drift_baseline is ${recorded}; expected ${location}`);
      }
    }
    return problems;
  };
}

// ------------------------------------------------------------------ train
export function trainScenarios(ctx) {
  const group = ctx.group;
  const single = { tuning: false };
  const ok = (tuning) => ({ status: 'SUCCEEDED', notifications: [], check: trainSucceededChecks(ctx, { tuning }) });
  const list = [
    { name: 'single job', input: single, expect: ok(false) },
    { name: 'tuning', input: { tuning: true }, expect: ok(true) },
    {
      name: 'champion better than the candidate: rejected',
      setup: (w) => w.addModelPackage(group, { auc: '0.95' }),
      input: single,
      expect: {
        status: 'FAILED', error: 'ModelRejected', causeIncludes: ['a regression'], notifications: [],
        check: (w) => (successful(w, 'CreateModelPackage').length ? ['a rejected model must not be registered'] : []),
      },
    },
    {
      name: 'champion worse than the candidate: registered',
      setup: (w) => w.addModelPackage(group, { auc: '0.85' }),
      input: single,
      expect: ok(false),
    },
    {
      name: 'no champion (empty group): registered',
      setup: () => {},
      input: single,
      expect: {
        ...ok(false),
        check: (w) => {
          const p = trainSucceededChecks(ctx, { tuning: false })(w);
          const evaluated = w.calls.find((c) => c.operation === 'Invoke' && c.request.Payload?.trainingJob);
          if (evaluated && evaluated.request.Payload.champion !== null && evaluated.request.Payload.champion !== undefined) p.push(`evaluate received champion ${JSON.stringify(evaluated.request.Payload.champion).slice(0, 120)}; expected null (no approved package)`);
          return p;
        },
      },
    },
    {
      name: 'not enough data',
      setup: (w) => (w.athena.counts = { rows: '500', positives: '5' }),
      input: single,
      expect: { status: 'FAILED', error: 'NotEnoughData', causeIncludes: ['Only 500 records'], notifications: [], calls: { CreateTrainingJob: 0, CreateHyperParameterTuningJob: 0 } },
    },
    {
      name: 'zero rows in the window',
      setup: (w) => (w.athena.counts = { rows: '0', positives: '0' }),
      input: single,
      expect: { status: 'FAILED', error: 'NotEnoughData', causeIncludes: ['Only 0 records'], notifications: [], calls: { CreateTrainingJob: 0, CreateHyperParameterTuningJob: 0 } },
    },
    {
      name: 'training job fails',
      setup: (w) => Object.assign(w.training, { status: 'Failed', failureReason: 'AlgorithmError: XGBoost failed: the validation channel holds no rows' }),
      input: single,
      expect: {
        status: 'FAILED', error: 'TrainingRunFailed',
        notifications: [{ subject: trainingFailed, includes: ['States.TaskFailed', 'the validation channel holds no rows'] }],
        calls: { CreateModelPackage: 0 },
      },
    },
    {
      name: 'CreateTrainingJob refused (ValidationException)',
      setup: (w) => w.fault('CreateTrainingJob', Infinity, (i) => apiError(i, 'ValidationException', "1 validation error detected: Value 'ml.m5.xlarge' at 'resourceConfig.instanceType' failed to satisfy constraint: Member must satisfy enum value set")),
      input: single,
      expect: {
        status: 'FAILED', error: 'TrainingRunFailed',
        notifications: [{ subject: trainingFailed, includes: ['SageMaker.AmazonSageMakerException', 'ValidationException'] }],
        calls: { CreateModelPackage: 0 },
      },
    },
    {
      name: 'one throttle (SDK ListModelPackages, SageMaker.SageMakerException): retried, succeeds',
      setup: (w) => w.fault('ListModelPackages', 1, (i) => apiError(i, 'ThrottlingException', 'Rate exceeded')),
      input: single,
      expect: { ...ok(false), calls: { ListModelPackages: 2 } },
    },
    {
      name: 'one throttle (Athena StartQueryExecution, Athena.TooManyRequestsException): retried, succeeds',
      setup: (w) => w.fault('StartQueryExecution', 1, (i) => apiError(i, 'TooManyRequestsException', 'Rate exceeded')),
      input: single,
      expect: ok(false),
    },
    {
      // A create throttled by SageMaker is retried or notified, never lost: either is a defensible design.
      name: 'CreateTrainingJob throttled once: retried to success, or a notified failure',
      setup: (w) => w.fault('CreateTrainingJob', 1, (i) => apiError(i, 'ThrottlingException', 'Rate exceeded')),
      input: single,
      expect: {
        anyOf: [
          { ...ok(false), calls: { CreateTrainingJob: 2 } },
          { status: 'FAILED', error: 'TrainingRunFailed', notifications: [{ subject: trainingFailed, includes: ['ThrottlingException'] }], calls: { CreateTrainingJob: 1, CreateModelPackage: 0 } },
        ],
      },
    },
    {
      name: 'drift baseline query fails: run fails, notified, nothing registered',
      setup: (w) => (w.athena.failQuery = (sql) => (/approx_percentile/.test(sql) ? 'COLUMN_NOT_FOUND: line 3:16: Column \'air_temperature_k\' cannot be resolved' : null)),
      input: single,
      expect: {
        status: 'FAILED', error: 'TrainingRunFailed',
        notifications: [{ subject: trainingFailed, includes: ['States.TaskFailed', 'COLUMN_NOT_FOUND'] }],
        calls: { CreateModelPackage: 0, CreateTrainingJob: 0, CreateHyperParameterTuningJob: 0 },
        check: (w) => (w.s3Writes.some((u) => u.endsWith('/drift-baseline.json')) ? ['a drift baseline was written although its query failed'] : []),
      },
    },
    {
      name: 'tuning job without BestTrainingJob (an optional response member)',
      setup: (w) => (w.training.bestTrainingJob = false),
      input: { tuning: true },
      expect: {
        status: 'FAILED', error: /./, notifications: [{ subject: trainingFailed, includes: ['BestTrainingJob'] }],
        calls: { CreateModelPackage: 0 },
      },
    },
    {
      name: "the schedule's input {}",
      executionName: ctx.scheduleName,
      input: {},
      expect: { ...ok(ctx.tuneByDefault), check: trainSucceededChecks(ctx, { tuning: ctx.tuneByDefault }) },
    },
  ];
  for (const [i, r] of ctx.readme.filter((x) => x.machine === 'TrainStateMachineArn').entries()) {
    const input = JSON.parse(r.input);
    list.push({
      name: `README input ${i + 1}: ${r.input}`,
      input,
      expect: {
        ...ok(input.tuning ?? ctx.tuneByDefault),
        check: (w) => {
          const p = trainSucceededChecks(ctx, { tuning: input.tuning ?? ctx.tuneByDefault })(w);
          const job = successful(w, input.tuning ?? ctx.tuneByDefault ? 'CreateHyperParameterTuningJob' : 'CreateTrainingJob')[0]?.request;
          const hyper = job?.HyperParameters ?? job?.TrainingJobDefinition?.StaticHyperParameters ?? {};
          for (const [k, v] of Object.entries(input.hyperparameters ?? {})) if (hyper[k] !== v) p.push(`hyperparameter ${k} is ${hyper[k]}, the input asked for ${v}`);
          if (input.window) {
            const count = successful(w, 'StartQueryExecution')[0]?.request.QueryString ?? '';
            if (!count.includes(`'${input.window.from}' AND '${input.window.to}'`)) p.push(`the count query does not cover the window ${input.window.from}..${input.window.to}`);
          }
          return p;
        },
      },
    });
  }
  return list;
}

// ------------------------------------------------------------------ promote
export function promoteScenarios(ctx) {
  const { group, parameter } = ctx;
  const serve = (w, arn, status = 'UPDATE_COMPLETE') => {
    const s = w.stack(ctx.stackId);
    s.StackStatus = status;
    s.Parameters.find((p) => p.ParameterKey === parameter).ParameterValue = arn;
  };
  // Two approved versions, the older one served: the usual state before an approval.
  const twoVersions = (w) => {
    const v1 = w.addModelPackage(group, { daysAgo: 20 });
    const v2 = w.addModelPackage(group, { daysAgo: 1 });
    serve(w, v1);
    return { v1, v2 };
  };
  const promoted = (arn) => ({
    status: 'SUCCEEDED',
    notifications: [{ subject: promotedSubject, includes: [arn] }],
    check: (w) => {
      const p = [];
      const updates = successful(w, 'UpdateStack');
      if (updates.length !== 1) return [`expected one accepted UpdateStack, ${updates.length}`];
      const params = updates[0].request.Parameters ?? [];
      const mine = params.find((x) => x.ParameterKey === parameter);
      if (mine?.ParameterValue !== arn) p.push(`UpdateStack set ${parameter} to ${mine?.ParameterValue}, expected ${arn}`);
      for (const x of params) {
        if (x.ParameterKey !== parameter && x.UsePreviousValue !== true) p.push(`UpdateStack changed ${x.ParameterKey}; every other parameter keeps its previous value`);
      }
      return p;
    },
  });
  const quiet = { status: 'SUCCEEDED', notifications: [], calls: { UpdateStack: 0 } };
  const refused = (error, includes) => ({ status: 'FAILED', error, notifications: [{ subject: promotionFailed, includes: [error, ...includes] }], calls: { UpdateStack: 0 } });

  const list = [
    { name: 'newest approved version', setup: (w) => twoVersions(w), input: (s) => ({ modelPackageArn: s.v2 }), expect: (s) => promoted(s.v2) },
    {
      name: 'first model (stack parameter empty)',
      setup: (w) => {
        const v1 = w.addModelPackage(group);
        serve(w, '', 'CREATE_COMPLETE');
        return { v1 };
      },
      input: (s) => ({ modelPackageArn: s.v1 }),
      expect: (s) => promoted(s.v1),
    },
    {
      name: 'already served',
      setup: (w) => {
        const s = twoVersions(w);
        serve(w, s.v2);
        return s;
      },
      input: (s) => ({ modelPackageArn: s.v2 }),
      expect: () => quiet,
    },
    {
      name: 'being brought up (UPDATE_IN_PROGRESS with this version): quiet',
      setup: (w) => {
        const s = twoVersions(w);
        serve(w, s.v2, 'UPDATE_IN_PROGRESS');
        return s;
      },
      input: (s) => ({ modelPackageArn: s.v2 }),
      expect: () => quiet,
    },
    {
      name: 'busy stack (another update in progress): refused and notified',
      setup: (w) => {
        const s = twoVersions(w);
        serve(w, s.v1, 'UPDATE_IN_PROGRESS');
        return s;
      },
      input: (s) => ({ modelPackageArn: s.v2 }),
      expect: (s) => refused('StackBusy', ['UPDATE_IN_PROGRESS', s.v2]),
    },
    {
      name: 'update fails and rolls back: reasons of this update only',
      setup: (w) => {
        const s = twoVersions(w);
        const stack = w.stack(ctx.stackId);
        const old = new Date(Date.now() - 9 * 86400000).toISOString();
        // An earlier failed update, days ago (a deployment's own token): its reasons must not be reported as this one's.
        const token = 'Console-UpdateStack-2f6c0d1e-9d3b-4a51-8e0e-3c1f2a7b9c10';
        stack.events.push(
          stackEvent(stack, stack.StackName, 'AWS::CloudFormation::Stack', 'UPDATE_ROLLBACK_COMPLETE', undefined, old, token),
          stackEvent(stack, 'Endpoint', 'AWS::SageMaker::Endpoint', 'UPDATE_FAILED', 'OLD-FAILURE Endpoint update failed: insufficient capacity for ml.c5.large', old, token),
          stackEvent(stack, 'EndpointConfig', 'AWS::SageMaker::EndpointConfig', 'CREATE_FAILED', 'OLD-FAILURE EndpointConfig creation failed: the instance type is not supported', old, token),
          stackEvent(stack, stack.StackName, 'AWS::CloudFormation::Stack', 'UPDATE_IN_PROGRESS', 'User Initiated', old, token),
        );
        stack.plan = 'fail';
        stack.failureReasons = [
          ['EndpointConfig', 'AWS::SageMaker::EndpointConfig', 'CREATE_FAILED', 'THIS-UPDATE Resource handler returned message: Could not access model data at s3://lake/models/run-2/model.tar.gz'],
          ['Endpoint', 'AWS::SageMaker::Endpoint', 'UPDATE_FAILED', 'THIS-UPDATE Resource update cancelled'],
        ];
        return s;
      },
      input: (s) => ({ modelPackageArn: s.v2 }),
      expect: (s) => ({
        status: 'FAILED', error: 'UpdateFailed',
        notifications: [{ subject: promotionFailed, includes: ['UpdateFailed', s.v2, 'UPDATE_ROLLBACK_COMPLETE', 'THIS-UPDATE Resource update cancelled', 'THIS-UPDATE Resource handler returned message'], excludes: ['OLD-FAILURE'] }],
      }),
    },
    {
      name: 'update takes too long (UpdateTooLong)',
      setup: (w) => {
        const s = twoVersions(w);
        w.stack(ctx.stackId).plan = 'slow';
        return s;
      },
      input: (s) => ({ modelPackageArn: s.v2 }),
      expect: () => ({ status: 'FAILED', error: 'UpdateTooLong', notifications: [{ subject: promotionFailed, includes: ['UpdateTooLong', 'UPDATE_IN_PROGRESS'] }] }),
    },
    { name: 'not the newest approved version: refused', setup: (w) => twoVersions(w), input: (s) => ({ modelPackageArn: s.v1 }), expect: (s) => refused('NotNewest', [s.v1, s.v2]) },
    {
      name: 'first approval not listed yet (eventual consistency): refused and notified',
      setup: (w) => {
        const v1 = w.addModelPackage(group, { approval: 'Approved', daysAgo: 0 });
        w.sagemaker.listingLag = new Set([v1]);
        return { v1 };
      },
      input: (s) => ({ modelPackageArn: s.v1 }),
      expect: (s) => refused('NoneListed', [s.v1]),
    },
    {
      name: 'allowOlder true: an older version is served (rollback)',
      setup: (w) => {
        const s = twoVersions(w);
        serve(w, s.v2);
        return s;
      },
      input: (s) => ({ modelPackageArn: s.v1, allowOlder: true }),
      expect: (s) => promoted(s.v1),
    },
    {
      name: 'not approved: refused',
      setup: (w) => ({ ...twoVersions(w), v3: w.addModelPackage(group, { approval: 'PendingManualApproval', daysAgo: 0 }) }),
      input: (s) => ({ modelPackageArn: s.v3 }),
      expect: (s) => refused('NotPromotable', [s.v3, 'PendingManualApproval']),
    },
    {
      name: 'duplicate approval event during the update: the second execution ends quietly',
      setup: (w) => {
        const s = twoVersions(w);
        choreograph(w, 'approval-a', 'approval-b');
        return s;
      },
      executions: (s) => [
        { name: 'approval-a', input: { modelPackageArn: s.v2 } },
        { name: 'approval-b', input: { modelPackageArn: s.v2 } },
      ],
      expect: (s) => ({
        results: [{ status: 'SUCCEEDED' }, { status: 'SUCCEEDED' }],
        notifications: [{ subject: promotedSubject, includes: [s.v2] }],
        check: (w) => (successful(w, 'UpdateStack').length === 1 ? [] : [`expected one accepted UpdateStack, ${successful(w, 'UpdateStack').length}`]),
      }),
    },
    {
      name: 'input without modelPackageArn: refused and notified',
      setup: (w) => twoVersions(w),
      input: () => ({}),
      expect: () => ({ status: 'FAILED', error: /Invalid/i, notifications: [{ subject: promotionFailed, includes: ['modelPackageArn'] }], calls: { UpdateStack: 0 } }),
    },
    {
      name: "AWS's documented Model Package State Change example event: not matched by the approval rule",
      event: () => ctx.exampleEvent,
      expect: () => ({ matched: false }),
    },
    {
      name: 'the documented example event for this group (Approved, newest): matched, promoted',
      setup: (w) => twoVersions(w),
      event: (s, w) => {
        const e = structuredClone(ctx.exampleEvent);
        const pkg = w.sagemaker.groups.get(group).find((v) => v.ModelPackageArn === s.v2);
        Object.assign(e, { account: w.account, region: w.region, source: 'aws.sagemaker', resources: [s.v2] });
        Object.assign(e.detail, { ModelPackageGroupName: group, ModelPackageVersion: pkg.ModelPackageVersion, ModelPackageArn: s.v2, ModelApprovalStatus: 'Approved', ModelPackageStatus: 'Completed' });
        return e;
      },
      expect: (s) => ({ matched: true, ...promoted(s.v2) }),
    },
  ];
  for (const [i, r] of ctx.readme.filter((x) => x.machine === 'PromoteStateMachineArn').entries()) {
    list.push({
      name: `README input ${i + 1}: ${r.input}`,
      setup: (w) => {
        const s = twoVersions(w);
        serve(w, s.v2);
        return s;
      },
      // The README's placeholder is an earlier approved version.
      input: (s) => JSON.parse(r.input.replace(/<[^>]*ARN[^>]*>/, s.v1)),
      expect: (s) => promoted(s.v1),
    });
  }
  return list;
}

// Two executions for the same version: B reads the stack before A updates it; B's UpdateStack comes after A's.
function choreograph(w, a, b) {
  const deferred = () => {
    let resolve;
    const promise = new Promise((r) => (resolve = r));
    return { promise, resolve };
  };
  const bRead = deferred();
  const aUpdated = deferred();
  const wait = (d) => Promise.race([d.promise, new Promise((r) => setTimeout(r, 2000).unref())]);
  w.hooks.before = async ({ execution, operation }) => {
    if (execution === a && operation === 'UpdateStack') await wait(bRead);
    if (execution === b && operation === 'UpdateStack') await wait(aUpdated);
  };
  w.hooks.after = ({ execution, operation, count }) => {
    if (execution === b && operation === 'DescribeStacks' && count === 1) bRead.resolve();
    if (execution === a && operation === 'UpdateStack') aUpdated.resolve();
  };
}

// ------------------------------------------------------------------ drift
const driftFailed = 'Drift run failed';

export function driftScenarios(ctx) {
  const { group, servedArn } = ctx;
  const env = ctx.environment;
  const served = { rendering: 'served' };
  const hourStamp = (iso) => `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  // The served version: version 1 of the group, with a baseline its training run wrote (or none, or a missing one).
  const serve = (w, { baseline = 'written' } = {}) => {
    const driftBaseline = baseline === 'written' ? w.addDriftBaseline('telemetry-20261129-0300') : baseline === 'missing' ? `s3://${env.LAKE_BUCKET}/models/telemetry-20261101-0300/drift-baseline.json` : undefined;
    const arn = w.addModelPackage(group, { driftBaseline });
    return { arn, driftBaseline };
  };
  const windowEndOf = (startTime) => `${startTime.slice(0, 13)}:00:00Z`;
  const assessed = (level, { windowEnd } = {}) => ({
    status: 'SUCCEEDED',
    // The drift alarms (CloudWatch, on the metrics assess logs) notify; the workflow does not.
    notifications: [],
    calls: { DescribeModelPackage: 1, Invoke: 2, GetQueryResults: 1 },
    check: (w, results) => {
      const p = [];
      if (successful(w, 'DescribeModelPackage')[0]?.request.ModelPackageName !== servedArn) p.push(`DescribeModelPackage was not asked for the served version ${servedArn}`);
      const invokes = successful(w, 'Invoke');
      const plan = invokes.find((c) => c.request.Payload?.action === 'plan');
      const assess = invokes.find((c) => c.request.Payload?.action === 'assess');
      if (!plan || !assess) return [...p, 'the drift function was not invoked to plan and to assess'];
      const end = windowEnd ?? windowEndOf(plan.request.Payload.time ?? '');
      if (plan.request.Payload.windowEnd !== (windowEnd ?? null)) p.push(`plan received windowEnd ${JSON.stringify(plan.request.Payload.windowEnd)}; expected ${JSON.stringify(windowEnd ?? null)}`);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(plan.request.Payload.time ?? '')) p.push(`plan received time ${plan.request.Payload.time}; expected the execution's start time`);
      const window = plan.response.Payload.window;
      if (window.end !== end) p.push(`the planned window ends ${window.end}; expected ${end}`);
      const sql = successful(w, 'StartQueryExecution')[0]?.request.QueryString ?? '';
      if (sql !== plan.response.Payload.sql) p.push('the window query run is not the statement plan returned');
      if (!sql.includes(`"${env.CAPTURE_TABLE}"`) || !sql.includes(`'${env.ENDPOINT_NAME}'`)) p.push(`the window query does not read ${env.CAPTURE_TABLE} for ${env.ENDPOINT_NAME}`);
      if (JSON.stringify(assess.request.Payload.window) !== JSON.stringify(window)) p.push('assess did not receive the planned window');
      const out = assess.response.Payload;
      if (out.level !== level) p.push(`assessed ${out.level}; expected ${level} (${out.summary})`);
      const report = `s3://${env.LAKE_BUCKET}/drift/${env.ENDPOINT_NAME}/${hourStamp(end)}/report.json`;
      if (out.report !== report) p.push(`report at ${out.report}; expected ${report}`);
      if (!w.s3Writes.includes(report)) p.push(`no S3 write of the report ${report}`);
      if (results[0]?.status === 'SUCCEEDED' && results[0].output?.assessment?.output?.level !== level) p.push('the execution output has no assessment');
      return p;
    },
  });
  const failed = (includes, extra = {}) => ({ status: 'FAILED', error: 'DriftRunFailed', notifications: [{ subject: driftFailed, includes }], ...extra });
  const list = [
    {
      name: 'nothing served (ModelPackageArn "", the default rendering)',
      input: {},
      expect: { status: 'SUCCEEDED', notifications: [], check: (w) => (w.calls.length ? [`expected no AWS call, made ${w.calls.map((c) => c.operation).join(', ')}`] : []) },
    },
    {
      name: 'served model, stable window: assessed, report written',
      ...served,
      setup: (w) => serve(w),
      input: {},
      expect: (s) => ({ ...assessed('Stable'), check: chain(assessed('Stable').check, () => (s.arn !== servedArn ? [`the served rendering names ${servedArn}, the account's version 1 is ${s.arn}`] : [])) }),
    },
    {
      name: 'served model, drifted window: Alarm assessed, report written, no notification from the workflow',
      ...served,
      setup: (w) => {
        w.athena.window.drift = true;
        return serve(w);
      },
      input: {},
      expect: () => assessed('Alarm'),
    },
    {
      name: 'served model, too few captured requests: InsufficientData',
      ...served,
      setup: (w) => {
        w.athena.window.rows = Math.max(0, Number(env.MINIMUM_ROWS ?? 100) - 1);
        return serve(w);
      },
      input: {},
      expect: () => assessed('InsufficientData'),
    },
    {
      name: 'served package without drift_baseline: refused (NoDriftBaseline), notified',
      ...served,
      setup: (w) => serve(w, { baseline: 'none' }),
      input: {},
      expect: () => failed(['NoDriftBaseline', servedArn], { causeIncludes: [servedArn], calls: { Invoke: 0, StartQueryExecution: 0 } }),
    },
    {
      name: 'baseline object missing in the lake: FileNotFoundException, notified',
      ...served,
      setup: (w) => serve(w, { baseline: 'missing' }),
      input: {},
      expect: () => failed(['FileNotFoundException', 'drift-baseline.json does not exist'], { calls: { StartQueryExecution: 0 } }),
    },
    {
      name: 'window query fails: notified',
      ...served,
      setup: (w) => {
        w.athena.failQuery = (sql) => (sql.includes(`"${env.CAPTURE_TABLE}"`) ? 'HIVE_BAD_DATA: Error parsing field value for field 0' : null);
        return serve(w);
      },
      input: {},
      expect: () => failed(['States.TaskFailed', 'HIVE_BAD_DATA'], { calls: { GetQueryResults: 0, Invoke: 1 } }),
    },
    {
      name: 'one throttle (Athena StartQueryExecution, Athena.TooManyRequestsException): retried, assessed',
      ...served,
      setup: (w) => {
        w.fault('StartQueryExecution', 1, (i) => apiError(i, 'TooManyRequestsException', 'Rate exceeded'));
        return serve(w);
      },
      input: {},
      expect: () => ({ ...assessed('Stable'), calls: { ...assessed('Stable').calls, StartQueryExecution: 2 } }),
    },
    {
      name: 'a chosen window (windowEnd the previous day 12:00Z)',
      ...served,
      setup: (w) => serve(w),
      executions: () => [{ name: 'rehearsal-chosen-window', input: { windowEnd: ctx.chosenWindowEnd } }],
      expect: () => assessed('Stable', { windowEnd: ctx.chosenWindowEnd }),
    },
    {
      name: 'windowEnd after the start time: refused (InvalidEventException), notified',
      ...served,
      setup: (w) => serve(w),
      executions: () => [{ name: 'rehearsal-future-window', input: { windowEnd: ctx.futureWindowEnd } }],
      expect: () => failed(['InvalidEventException', 'after the execution\'s start time'], { calls: { StartQueryExecution: 0 } }),
    },
    {
      name: "the schedule's input (served model)",
      ...served,
      executionName: ctx.scheduleName,
      setup: (w) => serve(w),
      input: ctx.scheduleInput,
      expect: () => assessed('Stable'),
    },
  ];
  for (const [i, r] of ctx.readme.filter((x) => x.machine === 'DriftStateMachineArn').entries()) {
    const input = JSON.parse(r.input);
    const windowEnd = typeof input.windowEnd === 'string' ? input.windowEnd : undefined;
    list.push({
      name: `README input ${i + 1}: ${r.input}`,
      ...served,
      setup: (w) => serve(w),
      // A README window may end after the rehearsal's start time: the execution starts after it ended.
      startTime: windowEnd && Date.parse(windowEnd) > Date.parse(ctx.startTime) ? new Date(Date.parse(windowEnd) + 1800000).toISOString() : undefined,
      input,
      expect: () => assessed('Stable', { windowEnd }),
    });
  }
  return list;
}

const chain = (...checks) => (w, results) => checks.flatMap((c) => c(w, results));

// ------------------------------------------------------------------ generic
export function genericScenarios() {
  return [{ name: 'runs with {} and every call answered', input: {}, expect: { status: 'SUCCEEDED' } }];
}

// ------------------------------------------------------------------ judging
/** Problems of an outcome against an expectation. */
export function judge(expect, results, world) {
  if (expect.anyOf) {
    const tried = expect.anyOf.map((e) => judge(e, results, world));
    if (tried.some((p) => p.length === 0)) return [];
    return tried.map((p, i) => `alternative ${i + 1}: ${p.join('; ')}`);
  }
  const problems = [];
  const perExecution = expect.results ?? [{ status: expect.status, error: expect.error, causeIncludes: expect.causeIncludes }];
  perExecution.forEach((e, i) => {
    const r = results[i];
    if (!r) return void problems.push(`execution ${i + 1} did not run`);
    const label = results.length > 1 ? `execution ${r.name}: ` : '';
    if (e.status && r.status !== e.status) {
      problems.push(`${label}ended ${r.status}${r.status === 'FAILED' ? ` with ${r.error}: ${truncate(r.cause)}` : ''}; expected ${e.status}${e.error ? ` with ${e.error}` : ''}`);
      return;
    }
    if (e.error && r.status === 'FAILED' && !(e.error instanceof RegExp ? e.error.test(r.error) : r.error === e.error)) problems.push(`${label}failed with ${r.error} (${truncate(r.cause)}); expected ${e.error}`);
    for (const text of e.causeIncludes ?? []) if (!String(r.cause).includes(text)) problems.push(`${label}cause ${truncate(r.cause)} does not say "${text}"`);
  });
  if (expect.notifications) {
    const got = world.published;
    if (got.length !== expect.notifications.length) {
      problems.push(`${got.length} notification(s) published (${got.map((n) => `"${n.subject}"`).join(', ') || 'none'}); expected ${expect.notifications.length}${expect.notifications.length ? ` (${expect.notifications.map((n) => `"${n.subject}"`).join(', ')})` : ''}`);
    }
    expect.notifications.forEach((n, i) => {
      const g = got[i];
      if (!g) return;
      if (g.subject !== n.subject) problems.push(`notification ${i + 1} has subject "${g.subject}"; expected "${n.subject}"`);
      for (const t of n.includes ?? []) if (!g.message.includes(t)) problems.push(`notification ${i + 1} does not say "${t}": ${truncate(g.message, 400)}`);
      for (const t of n.excludes ?? []) if (g.message.includes(t)) problems.push(`notification ${i + 1} says "${t}", which it must not: ${truncate(g.message, 400)}`);
    });
  }
  for (const [op, n] of Object.entries(expect.calls ?? {})) {
    const made = calls(world, op).length;
    if (made !== n) problems.push(`${op} called ${made} time(s); expected ${n}`);
  }
  if (expect.check) problems.push(...expect.check(world, results));
  return problems;
}

const truncate = (s, n = 240) => {
  const t = String(s ?? '');
  return t.length > n ? `${t.slice(0, n - 3)}...` : t;
};

/** For a scenario with an event: whether the rule matches it, and the execution input its target builds. */
export function deliver(rule, event) {
  if (!matchesPattern(rule.EventPattern, event)) return { matched: false };
  const target = rule.Targets.find((t) => t.Arn === rule.machineArn);
  return { matched: true, input: target ? targetInput(target, event) : undefined, target: Boolean(target) };
}
