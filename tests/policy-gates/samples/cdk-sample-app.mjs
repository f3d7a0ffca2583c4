// Synthesizes a CDK app (aws-cdk-lib from node_modules) that uses the L2
// constructs of the streaming ML pipeline with mostly default settings, so the
// gate can be exercised on *real* CDK output: DefaultStackSynthesizer
// (BootstrapVersion SSM parameter + CheckBootstrapVersion rule), CDKMetadata
// condition, cross-stack Fn::ImportValue, DependsOn, custom-resource provider
// Lambdas (Vpc restrictDefaultSecurityGroup, autoDeleteObjects, logRetention),
// grant* wildcards. No network, no AWS account.
//
//   node tests/policy-gates/samples/cdk-sample-app.mjs <outdir>
//   -> <outdir>/SampleNetwork.template.json, <outdir>/SamplePipeline.template.json
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const cdk = require('aws-cdk-lib');
const { aws_ec2: ec2, aws_s3: s3, aws_kms: kms, aws_logs: logs, aws_lambda: lambda, aws_iam: iam,
  aws_kinesis: kinesis, aws_kinesisfirehose: firehose, aws_sns: sns, aws_sqs: sqs, aws_glue: glue,
  aws_athena: athena, aws_stepfunctions: sfn, aws_stepfunctions_tasks: tasks, aws_sagemaker: sagemaker,
  aws_cloudwatch: cloudwatch } = cdk;

const outdir = path.resolve(process.argv[2] ?? 'cdk.out.sample');
const app = new cdk.App({ outdir, builtinCloudFormationValidation: false, analyticsReporting: true });
const env = { account: '111111111111', region: 'eu-west-1' };

const net = new cdk.Stack(app, 'SampleNetwork', { env });
const vpc = new ec2.Vpc(net, 'Vpc', { maxAzs: 2, natGateways: 1, restrictDefaultSecurityGroup: true });
vpc.addFlowLog('FlowLog');
vpc.addInterfaceEndpoint('KinesisEndpoint', { service: ec2.InterfaceVpcEndpointAwsService.KINESIS_STREAMS });
vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
const key = new kms.Key(net, 'DataKey', { enableKeyRotation: true });

const p = new cdk.Stack(app, 'SamplePipeline', { env });
p.addDependency(net);
const bucket = new s3.Bucket(p, 'RawBucket', {
  encryption: s3.BucketEncryption.KMS, encryptionKey: key, enforceSSL: true, versioned: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, autoDeleteObjects: true, removalPolicy: cdk.RemovalPolicy.DESTROY,
});
const stream = new kinesis.Stream(p, 'Ingest', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
const topic = new sns.Topic(p, 'Alerts', { masterKey: key });
const dlq = new sqs.Queue(p, 'Dlq', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });
const fn = new lambda.Function(p, 'Scorer', {
  runtime: lambda.Runtime.PYTHON_3_12, handler: 'index.handler',
  code: lambda.Code.fromInline('def handler(e, c):\n    return e\n'),
  vpc, logRetention: logs.RetentionDays.ONE_MONTH, deadLetterQueue: dlq,
});
stream.grantRead(fn);
bucket.grantReadWrite(fn);
topic.grantPublish(fn);
new firehose.DeliveryStream(p, 'ToS3', {
  source: new firehose.KinesisStreamSource(stream),
  destination: new firehose.S3Bucket(bucket, { dataOutputPrefix: 'raw/' }),
});
const db = new glue.CfnDatabase(p, 'Db', { catalogId: env.account, databaseInput: { name: 'pipeline' } });
new athena.CfnWorkGroup(p, 'Wg', { name: 'pipeline', workGroupConfiguration: {
  resultConfiguration: { outputLocation: `s3://${bucket.bucketName}/athena/` } } });
const sm = new sfn.StateMachine(p, 'Retrain', {
  definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(p, 'Invoke', { lambdaFunction: fn })),
});
new cloudwatch.Alarm(p, 'Errors', { metric: fn.metricErrors(), threshold: 1, evaluationPeriods: 1 });
const smRole = new iam.Role(p, 'SageMakerRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
bucket.grantRead(smRole);
const model = new sagemaker.CfnModel(p, 'Model', { executionRoleArn: smRole.roleArn,
  primaryContainer: { image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/model:latest', modelDataUrl: bucket.s3UrlForObject('model.tar.gz') } });
const epc = new sagemaker.CfnEndpointConfig(p, 'EndpointConfig', { productionVariants: [{ modelName: model.attrModelName,
  variantName: 'AllTraffic', initialInstanceCount: 1, instanceType: 'ml.m5.large' }] });
epc.addDependency(model);
new sagemaker.CfnEndpoint(p, 'Endpoint', { endpointConfigName: epc.attrEndpointConfigName });
new cdk.CfnOutput(p, 'StateMachineArn', { value: sm.stateMachineArn });
db.node.addDependency(bucket);

app.synth();
console.log(outdir);
