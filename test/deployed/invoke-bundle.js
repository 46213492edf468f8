// Runs one Lambda bundle as the Lambda Node.js runtime does: loads the file named by the first
// argument (the template's `index.handler`), then calls `handler(event, context)` with the event read
// from stdin, and writes {"result": ...} or {"error": {...}} to the file named by the second argument.
// Plain JavaScript, so any Node binary runs it without a TypeScript loader.
'use strict';
const fs = require('node:fs');

async function main() {
  const [bundle, resultFile] = process.argv.slice(2);
  const { event, remainingTimeMs } = JSON.parse(fs.readFileSync(0, 'utf8'));
  const deadline = Date.now() + remainingTimeMs;
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:111111111111:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    memoryLimitInMB: '512',
    awsRequestId: 'request-1',
    logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let outcome;
  try {
    const { handler } = require(bundle);
    outcome = { result: await handler(event, context), node: process.version };
  } catch (error) {
    outcome = { error: { name: error && error.name, message: error && error.message }, node: process.version };
  }
  fs.writeFileSync(resultFile, JSON.stringify(outcome === undefined ? null : outcome));
  // Lambda freezes the process after the answer; keep-alive sockets must not hold this one open.
  process.exit(0);
}

main();
