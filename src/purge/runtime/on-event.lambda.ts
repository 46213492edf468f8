/** The DevicePurge custom resource's onEvent handler: starts the purge run (wiring only). */
import { Logger } from '@aws-lambda-powertools/logger';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createOnEventHandler } from './purge-handlers';

export const handler = createOnEventHandler({
  sfn: new SFNClient({}),
  // The service name comes from POWERTOOLS_SERVICE_NAME, set by DevicePurge.
  logger: new Logger(),
});
