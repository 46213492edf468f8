/**
 * Resolves a synthesized template's intrinsic functions into the concrete values CloudFormation would
 * give them in one fixed account and Region, so policies, environment variables and custom resource
 * properties read the same ARNs and names the running code is given.
 */

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
export const PARTITION = 'aws';

export type Template = { Resources: Record<string, { Type: string; Properties?: any }> };

/** What a resource's Ref and Fn::GetAtt return, by resource type (the physical name is chosen here). */
const ATTRIBUTES: Record<string, (name: string) => { ref: string; attrs: Record<string, string> }> = {
  'AWS::Cognito::UserPool': (id) => ({ ref: id, attrs: { Arn: `arn:${PARTITION}:cognito-idp:${REGION}:${ACCOUNT}:userpool/${id}` } }),
  'AWS::DynamoDB::Table': (name) => ({ ref: name, attrs: { Arn: `arn:${PARTITION}:dynamodb:${REGION}:${ACCOUNT}:table/${name}` } }),
  'AWS::StepFunctions::StateMachine': (name) => {
    const arn = `arn:${PARTITION}:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
    return { ref: arn, attrs: { Arn: arn, Name: name } };
  },
  'AWS::Lambda::Function': (name) => ({ ref: name, attrs: { Arn: `arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:${name}` } }),
  'AWS::IAM::Role': (name) => ({ ref: name, attrs: { Arn: `arn:${PARTITION}:iam::${ACCOUNT}:role/${name}` } }),
  'AWS::IAM::ManagedPolicy': (name) => ({ ref: `arn:${PARTITION}:iam::${ACCOUNT}:policy/${name}`, attrs: {} }),
  'AWS::Logs::LogGroup': (name) => ({ ref: name, attrs: { Arn: `arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:${name}:*` } }),
  'AWS::SQS::Queue': (name) => ({
    ref: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`,
    attrs: { Arn: `arn:${PARTITION}:sqs:${REGION}:${ACCOUNT}:${name}`, QueueName: name },
  }),
  'AWS::SNS::Topic': (name) => ({ ref: `arn:${PARTITION}:sns:${REGION}:${ACCOUNT}:${name}`, attrs: { TopicArn: `arn:${PARTITION}:sns:${REGION}:${ACCOUNT}:${name}` } }),
  'AWS::S3::Bucket': (name) => ({ ref: name, attrs: { Arn: `arn:${PARTITION}:s3:::${name}` } }),
  'AWS::KMS::Key': (id) => ({ ref: id, attrs: { Arn: `arn:${PARTITION}:kms:${REGION}:${ACCOUNT}:key/${id}` } }),
  'AWS::Events::Rule': (name) => ({ ref: name, attrs: { Arn: `arn:${PARTITION}:events:${REGION}:${ACCOUNT}:rule/${name}` } }),
};

/** The property that names a resource, where the template may set it. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::S3::Bucket': 'BucketName',
};

export class TemplateResolver {
  /**
   * @param physicalIds physical ids to use instead of the logical id (a user pool's id in the simulator)
   */
  constructor(readonly template: Template, private readonly physicalIds: Record<string, string> = {}) {}

  /** `value` with every intrinsic function replaced by its value. */
  resolve(value: any): any {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return this.intrinsic(keys[0], value[keys[0]]);
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(value[k])]));
  }

  /** The physical name of a resource: its name property, a given id, or its logical id. */
  physicalName(logicalId: string): string {
    const resource = this.resource(logicalId);
    const nameProperty = NAME_PROPERTY[resource.Type];
    const named = nameProperty ? resource.Properties?.[nameProperty] : undefined;
    return named !== undefined ? String(this.resolve(named)) : this.physicalIds[logicalId] ?? logicalId;
  }

  private intrinsic(name: string, arg: any): any {
    switch (name) {
      case 'Ref':
        return this.ref(arg);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        const value = this.attributesOf(logicalId).attrs[attribute];
        if (value === undefined) throw new Error(`the resolver does not know ${this.resource(logicalId).Type}.${attribute}`);
        return value;
      }
      case 'Fn::Join':
        return (this.resolve(arg[1]) as unknown[]).join(arg[0]);
      case 'Fn::Select':
        return this.resolve(arg[1])[Number(this.resolve(arg[0]))];
      case 'Fn::Split':
        return String(this.resolve(arg[1])).split(arg[0]);
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
        return String(text).replace(/\$\{([^}]+)\}/g, (_m, ref: string) => {
          if (vars[ref] !== undefined) return String(this.resolve(vars[ref]));
          return ref.includes('.') ? this.intrinsic('Fn::GetAtt', ref) : this.ref(ref);
        });
      }
      case 'Fn::ImportValue':
        // Another stack's output: a name, never an ARN of this stack.
        return `imported:${this.resolve(arg)}`;
      default:
        throw new Error(`the resolver does not know ${name}`);
    }
  }

  private ref(id: string): string {
    switch (id) {
      case 'AWS::Partition': return PARTITION;
      case 'AWS::Region': return REGION;
      case 'AWS::AccountId': return ACCOUNT;
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return 'Stack';
      default: return this.attributesOf(id).ref;
    }
  }

  private attributesOf(logicalId: string) {
    const resource = this.resource(logicalId);
    const attributes = ATTRIBUTES[resource.Type];
    if (!attributes) throw new Error(`the resolver does not know resources of type ${resource.Type} (${logicalId})`);
    return attributes(this.physicalName(logicalId));
  }

  private resource(logicalId: string) {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`no resource ${logicalId} in the template`);
    return resource;
  }
}
