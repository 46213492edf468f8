import { Template } from 'aws-cdk-lib/assertions';

/**
 * The parsed definition of the only state machine in `template`. CloudFormation intrinsics inside the
 * definition string (Fn::Join parts) become `${...}` placeholders naming what they reference.
 */
export function stateMachineDefinition(template: Template): any {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) {
    throw new Error(`expected one state machine, found ${machines.length}`);
  }
  const definition = machines[0].Properties.DefinitionString;
  const text = typeof definition === 'string' ? definition : joinParts(definition['Fn::Join'][1]);
  return JSON.parse(text);
}

function joinParts(parts: unknown[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : placeholder(part))).join('');
}

function placeholder(part: unknown): string {
  const intrinsic = part as Record<string, unknown>;
  if ('Ref' in intrinsic) {
    return `\${${intrinsic.Ref}}`;
  }
  if ('Fn::GetAtt' in intrinsic) {
    return `\${${(intrinsic['Fn::GetAtt'] as string[]).join('.')}}`;
  }
  return '${?}';
}
