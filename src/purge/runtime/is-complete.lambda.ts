/** The DevicePurge custom resource's isComplete handler: follows the purge run (wiring only). */
import { Logger } from '@aws-lambda-powertools/logger';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createIsCompleteHandler } from './purge-handlers';

export const handler = createIsCompleteHandler({
  sfn: new SFNClient({}),
  // The service name comes from POWERTOOLS_SERVICE_NAME, set by DevicePurge.
  logger: new Logger(),
});
