import { Template } from 'aws-cdk-lib/assertions';
// asl-validator has no type declarations; its default export is (definition, options?) => result.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator: AslValidator = require('asl-validator');

type AslValidator = (definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

/** What asl-validator (JSON schemas of the States Language, JSONata expressions parsed by jsonata) says of a definition. */
export function validateDefinition(definition: unknown): { valid: boolean; errors: string } {
  const result = aslValidator(definition, { checkPaths: true, checkArn: true });
  return { valid: result.isValid, errors: result.isValid ? '' : result.errorsText('\n') };
}

/**
 * Every state machine definition of a synthesized template, by logical id. Intrinsics inside the
 * definition string become the values CloudFormation would put there (ARNs of this account and
 * Region), so the ARN checks see realistic ARNs rather than `${Token}` placeholders.
 */
export function stateMachineDefinitions(template: Template): Record<string, unknown> {
  const machines = template.findResources('AWS::StepFunctions::StateMachine');
  const definitions: Record<string, unknown> = {};
  for (const [logicalId, machine] of Object.entries(machines)) {
    const definition = machine.Properties.DefinitionString;
    const text = typeof definition === 'string' ? definition : (definition['Fn::Join'][1] as unknown[]).map(resolvePart).join('');
    definitions[logicalId] = JSON.parse(text);
  }
  return definitions;
}

const PSEUDO: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '111111111111', 'AWS::URLSuffix': 'amazonaws.com' };

function resolvePart(part: unknown): string {
  if (typeof part === 'string') return part;
  const intrinsic = part as Record<string, unknown>;
  if (typeof intrinsic.Ref === 'string') {
    return PSEUDO[intrinsic.Ref] ?? `arn:aws:lambda:eu-west-1:111111111111:function:${intrinsic.Ref}`;
  }
  if (Array.isArray(intrinsic['Fn::GetAtt'])) {
    return `arn:aws:lambda:eu-west-1:111111111111:function:${(intrinsic['Fn::GetAtt'] as string[])[0]}`;
  }
  throw new Error(`unexpected intrinsic in a state machine definition: ${JSON.stringify(part)}`);
}
