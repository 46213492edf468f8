/**
 * Checks requests against Amazon's own service model of Cognito user pools (cognito-idp
 * 2016-04-18, as shipped in the AWS SDK for JavaScript v2, with v2's parameter validator): member
 * names, required members and types. The v3 client we use sends whatever it is given, and our
 * simulator was written from the same reading of the API as the engine, so neither would notice a
 * misspelt or missing member.
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

// aws-sdk v2 is loaded only for its model and validator (it sends nothing here).
/* eslint-disable @typescript-eslint/no-require-imports */
const COGNITO_MODEL = require('aws-sdk/apis/cognito-idp-2016-04-18.min.json');
const AWS = require('aws-sdk/lib/core');
/* eslint-enable @typescript-eslint/no-require-imports */

const api = new AWS.Model.Api(COGNITO_MODEL);
// The minified model carries no min/max/pattern traits, so only names, presence and types are checked.
const validator = new AWS.ParamValidator({ min: true, max: true, pattern: true, enum: true });

/** The model's objection to `input` as the request of `operation` (e.g. 'AdminListDevices'), or undefined. */
export function requestViolation(operation: string, input: unknown): string | undefined {
  const name = operation.charAt(0).toLowerCase() + operation.slice(1);
  const model = api.operations[name];
  if (!model) return `${operation} is not an operation of ${COGNITO_MODEL.metadata.serviceId}`;
  try {
    validator.validate(model.input, input);
    return undefined;
  } catch (error) {
    return `${operation}: ${(error as Error).message}`;
  }
}

/** A request the client sent, and what the model says of it. */
export interface CheckedRequest {
  readonly operation: string;
  /** What the engine asked for. */
  readonly input: Record<string, unknown>;
  readonly violation?: string;
}

/** Adds a middleware to `client` that checks every command's input against the model before it is sent. */
export function checkRequestsAgainstModel(client: CognitoIdentityProviderClient, seen: CheckedRequest[]): CognitoIdentityProviderClient {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      seen.push({ operation, input: args.input as Record<string, unknown>, violation: requestViolation(operation, args.input) });
      return next(args);
    },
    { step: 'initialize', name: 'checkRequestsAgainstCognitoModel' },
  );
  return client;
}
