/**
 * One loopback endpoint for every AWS service the deployed code calls: it records each request
 * (who signed it, the service, the operation, the parameters) and passes it on to the local peer
 * that answers it: the Cognito simulator, dynalite, or the fake Step Functions. Code under test gets
 * it through `AWS_ENDPOINT_URL`, and its caller through the access key id it signs with, so the same
 * gateway serves handlers loaded in the test process and bundles run in child processes.
 */
import { createServer, request as httpRequest, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsJsonError, FakeStepFunctions } from './fake-step-functions';

/** One request as AWS would receive it. */
export interface RecordedRequest {
  /** The access key id it was signed with: the harness gives each role its own. */
  readonly caller: string;
  /** The IAM service prefix (from the SigV4 signing name: cognito-idp, dynamodb, states, cloudwatch). */
  readonly service: string;
  readonly region: string;
  /** The operation (`AdminForgetDevice`), from the X-Amz-Target header. */
  readonly operation: string;
  readonly params: Record<string, unknown>;
}

/** Where the gateway sends each service's requests. */
export interface GatewayPeers {
  /** Base URL of the Cognito simulator. */
  readonly cognito?: string;
  /** Base URL of dynalite. */
  readonly dynamodb?: string;
  readonly stepFunctions?: FakeStepFunctions;
  /** Answers CloudWatch's GetMetricData (the account usage the slice may follow). @default no data points */
  readonly cloudWatch?: (operation: string, params: Record<string, any>) => object;
}

/** SigV4 signing names that are not the service's IAM prefix. */
const IAM_PREFIX_OF_SIGNING_NAME: Record<string, string> = { monitoring: 'cloudwatch' };

// Credential=AKID/20261202/eu-west-1/cognito-idp/aws4_request
const CREDENTIAL = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

export class AwsGateway {
  static async start(peers: GatewayPeers): Promise<AwsGateway> {
    const gateway = new AwsGateway(peers);
    await new Promise<void>((resolve) => gateway.server.listen(0, '127.0.0.1', resolve));
    return gateway;
  }

  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;

  private constructor(private readonly peers: GatewayPeers) {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error) => {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: String(error) }));
      });
    });
  }

  /** `http://127.0.0.1:PORT`: the value of `AWS_ENDPOINT_URL`. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The requests signed by `caller`, oldest first. */
  requestsOf(caller: string): RecordedRequest[] {
    return this.requests.filter((r) => r.caller === caller);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const credential = CREDENTIAL.exec(String(req.headers.authorization ?? ''));
    const target = String(req.headers['x-amz-target'] ?? '');
    if (!credential || !target.includes('.')) {
      throw new Error(`unsigned or non-JSON-protocol request: ${req.method} ${req.url}`);
    }
    const [, caller, region, signingName] = credential;
    const service = IAM_PREFIX_OF_SIGNING_NAME[signingName] ?? signingName;
    const operation = target.slice(target.lastIndexOf('.') + 1);
    const params = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
    this.requests.push({ caller, service, region, operation, params });

    if (service === 'states') {
      return this.answerStepFunctions(operation, params, res);
    }
    if (service === 'cloudwatch') {
      const answer = this.peers.cloudWatch ?? (() => ({ MetricDataResults: [] }));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(answer(operation, params)));
      return;
    }
    const peer = service === 'cognito-idp' ? this.peers.cognito : service === 'dynamodb' ? this.peers.dynamodb : undefined;
    if (!peer) throw new Error(`no peer answers ${service}:${operation}`);
    await forward(peer, req, body, res);
  }

  private answerStepFunctions(operation: string, params: Record<string, any>, res: ServerResponse): void {
    const sfn = this.peers.stepFunctions;
    if (!sfn) throw new Error('no fake Step Functions was given');
    try {
      const output = sfn.answer(operation, params);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(output));
    } catch (error) {
      if (!(error instanceof AwsJsonError)) throw error;
      res.writeHead(error.status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: error.type, message: error.message }));
    }
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forward(peer: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', peer);
  return new Promise((resolve, reject) => {
    const out = httpRequest(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 500, answer.headers);
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', reject);
    });
    out.on('error', reject);
    out.end(body);
  });
}
