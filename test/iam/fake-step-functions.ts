/**
 * Step Functions as the purge handlers see it, answered over HTTP (AWS JSON 1.0) so a handler in any
 * process, bundled or not, reaches it through the SDK's standard endpoint variable. It keeps the
 * executions it started; a test ends one with `finish`.
 */

/** One execution the fake started. */
export interface FakeExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: number;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  output?: string;
}

/** An AWS error answer: the SDK turns `__type` into its exception class. */
export class AwsJsonError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

export class FakeStepFunctions {
  readonly executions = new Map<string, FakeExecution>();

  /** Ends a running execution as SUCCEEDED with `output` (the workflow's last state). */
  finish(executionArn: string, output: unknown): void {
    const execution = this.get(executionArn);
    execution.status = 'SUCCEEDED';
    execution.output = JSON.stringify(output);
  }

  /** Moves an execution's start back by `seconds` (a run that has waited that long). */
  backdate(executionArn: string, seconds: number): void {
    const execution = this.get(executionArn);
    (execution as { startDate: number }).startDate -= seconds;
  }

  /** Answers one operation; throws `AwsJsonError` as Step Functions would answer. */
  answer(operation: string, input: Record<string, any>): object {
    switch (operation) {
      case 'StartExecution': {
        const stateMachineArn = String(input.stateMachineArn);
        const name = String(input.name);
        const executionArn = stateMachineArn.replace(':stateMachine:', ':execution:') + `:${name}`;
        if (this.executions.has(executionArn)) {
          throw new AwsJsonError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
        }
        const startDate = Date.now() / 1000;
        this.executions.set(executionArn, { executionArn, stateMachineArn, name, input: String(input.input ?? '{}'), startDate, status: 'RUNNING' });
        return { executionArn, startDate };
      }
      case 'DescribeExecution': {
        const e = this.get(String(input.executionArn));
        const { executionArn, stateMachineArn, name, status, startDate } = e;
        return { executionArn, stateMachineArn, name, status, startDate, input: e.input, output: e.output };
      }
      case 'ListExecutions': {
        const executions = [...this.executions.values()]
          .filter((e) => e.stateMachineArn === input.stateMachineArn)
          .sort((a, b) => b.startDate - a.startDate)
          .slice(0, Number(input.maxResults ?? 100))
          .map((e) => ({ executionArn: e.executionArn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status, startDate: e.startDate }));
        return { executions };
      }
      case 'StopExecution': {
        const e = this.get(String(input.executionArn));
        if (e.status === 'RUNNING') e.status = 'ABORTED';
        return { stopDate: Date.now() / 1000 };
      }
      default:
        throw new AwsJsonError('UnknownOperationException', `the fake Step Functions does not answer ${operation}`);
    }
  }

  private get(executionArn: string): FakeExecution {
    const execution = this.executions.get(executionArn);
    if (!execution) throw new AwsJsonError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }
}
