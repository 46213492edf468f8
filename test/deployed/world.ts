/**
 * Everything the deployed code talks to, on loopback: the Cognito simulator, dynalite, the fake Step
 * Functions, and the recording gateway in front of them.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { AwsGateway } from '../iam/aws-gateway';
import { FakeStepFunctions } from '../iam/fake-step-functions';
import { TemplateResolver } from '../iam/template-resolver';
import { CognitoSimulator } from '../sim';
import { Dynalite, startDynalite } from '../sweep/index/dynalite';

export interface World {
  readonly sim: CognitoSimulator;
  readonly dynalite: Dynalite;
  readonly sfn: FakeStepFunctions;
  readonly gateway: AwsGateway;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const sim = await CognitoSimulator.start({ latencyMs: 0, seed: 18 });
  const dynalite = await startDynalite();
  const sfn = new FakeStepFunctions();
  const dynamoEndpoint = await dynalite.client.config.endpoint!();
  const gateway = await AwsGateway.start({
    cognito: sim.endpoint,
    dynamodb: `http://${dynamoEndpoint.hostname}:${dynamoEndpoint.port}`,
    stepFunctions: sfn,
  });
  return {
    sim,
    dynalite,
    sfn,
    gateway,
    stop: async () => {
      await gateway.stop();
      await dynalite.stop();
      await sim.stop();
    },
  };
}

/** Creates every DynamoDB table of the template in dynalite, under the name the resolver gives it. */
export async function createTables(world: World, resolver: TemplateResolver): Promise<void> {
  for (const [logicalId, resource] of Object.entries(resolver.template.Resources)) {
    if (resource.Type !== 'AWS::DynamoDB::Table') continue;
    const { AttributeDefinitions, KeySchema } = resource.Properties;
    await world.dynalite.client.send(new CreateTableCommand({
      TableName: resolver.physicalName(logicalId), AttributeDefinitions, KeySchema, BillingMode: 'PAY_PER_REQUEST',
    })).catch((error: Error) => {
      // Another row of the same stack made it already.
      if (error.name !== 'ResourceInUseException') throw error;
    });
  }
}
