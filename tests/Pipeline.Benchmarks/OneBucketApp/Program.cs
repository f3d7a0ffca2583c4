using Amazon.CDK;
using Amazon.CDK.AWS.S3;

// One stack with one bucket: the least a C# CDK app synthesizes (see the project file).
var app = new App();
var stack = new Stack(app, "OneBucket");
_ = new Bucket(stack, "Bucket", new BucketProps { Encryption = BucketEncryption.S3_MANAGED, EnforceSSL = true });
app.Synth();
