import { RestError, createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { createHttpPoller } from '@azure/core-lro';
import { describeArmError, isNotFound, isRetryable, mapArmError } from '../../../src/azure/arm-errors';

const URL = 'https://management.azure.com/subscriptions/x/resourceGroups/rg/providers/Microsoft.Cache/redis/c1';

/** A RestError as the SDK throws it: statusCode, code = ARM error.code, message = ARM error.message, response. */
function restError(status: number, code: string | undefined, message: string, headers: Record<string, string> = {}): RestError {
  const request = createPipelineRequest({ url: URL });
  const response: PipelineResponse = {
    request,
    status,
    headers: createHttpHeaders(headers),
    bodyAsText: JSON.stringify({ error: { code, message } }),
  };
  return new RestError(message, { statusCode: status, ...(code ? { code } : {}), request, response });
}

/** Drive the real core-lro poller to a failed async operation and return what it throws. */
async function lroFailure(error: { code: string; message: string; innererror?: unknown } | undefined): Promise<unknown> {
  const request = { method: 'PUT', url: URL };
  const poller = createHttpPoller(
    {
      sendInitialRequest: async () => ({
        flatResponse: {},
        rawResponse: {
          statusCode: 201,
          request,
          headers: { 'azure-asyncoperation': 'https://management.azure.com/subscriptions/x/providers/Microsoft.Cache/locations/eastus/asyncOperations/op1' },
          body: { properties: { provisioningState: 'Creating' } },
        },
      }),
      sendPollRequest: async () => {
        const body = { status: 'Failed', ...(error ? { error } : {}) };
        return { flatResponse: body, rawResponse: { statusCode: 200, request: { method: 'GET', url: URL }, headers: {}, body } };
      },
    },
    { intervalInMs: 0 },
  );
  try {
    await poller.pollUntilDone();
  } catch (e) {
    return e;
  }
  throw new Error('expected the poller to fail');
}

describe('mapArmError: RestError', () => {
  it.each([
    [404, 'ResourceNotFound', 'The Resource was not found.', 'not-found', false],
    [404, 'ResourceGroupNotFound', "Resource group 'rg' could not be found.", 'not-found', false],
    [429, 'SubscriptionRequestsThrottled', 'Please try again after 6 seconds', 'throttled', true],
    [409, 'AnotherOperationInProgress', 'Another operation on this or dependent resource is in progress.', 'conflict-busy', true],
    [409, 'Conflict', "The resource 'c1' is busy processing a previous update request.", 'conflict-busy', true],
    [409, 'Conflict', 'A cache with that name already exists in another resource group.', 'bad-request', false],
    [400, 'RetryableErrorDueToAnotherOperation', 'Operation is not allowed while another operation runs.', 'conflict-busy', true],
    [412, 'PreconditionFailed', 'The etag does not match.', 'conflict-busy', true],
    [400, 'BadRequest', 'The value of publicNetworkAccess is invalid.', 'bad-request', false],
    [400, 'PrivateEndpointCannotBeCreatedInSubnetThatHasNetworkPoliciesEnabled', 'Subnet has policies.', 'bad-request', false],
    [401, 'InvalidAuthenticationToken', 'The access token is invalid.', 'forbidden', false],
    [403, 'AuthorizationFailed', 'The client does not have authorization.', 'forbidden', false],
    [408, 'RequestTimeout', 'Timed out.', 'transient', true],
    [500, 'InternalServerError', 'Internal error.', 'transient', true],
    [502, 'BadGateway', 'Bad gateway.', 'transient', true],
    [503, 'ServiceUnavailable', 'Unavailable.', 'transient', true],
    [504, 'GatewayTimeout', 'Timed out.', 'transient', true],
    [501, 'NotImplemented', 'Not implemented.', 'bad-request', false],
    [202, undefined, '', 'unknown', false],
  ] as const)('%i %s -> %s (retryable %s)', (status, code, message, kind, retryable) => {
    const info = mapArmError(restError(status, code, message));
    expect(info).toMatchObject({ status, message, kind, retryable });
    expect(info.code).toBe(code ?? `Http${status}`);
  });

  it('reads Retry-After (seconds) and retry-after-ms', () => {
    expect(mapArmError(restError(429, 'TooManyRequests', 'slow down', { 'retry-after': '7' })).retryAfterMs).toBe(7000);
    expect(mapArmError(restError(503, 'ServiceUnavailable', 'x', { 'retry-after-ms': '250' })).retryAfterMs).toBe(250);
    expect(mapArmError(restError(429, 'TooManyRequests', 'slow down')).retryAfterMs).toBeUndefined();
  });

  it('maps errors without a response (network) as transient', () => {
    const refused = new RestError('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' });
    expect(mapArmError(refused)).toEqual({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1', retryable: true, kind: 'transient' });
    expect(mapArmError(new RestError('send failed', { code: RestError.REQUEST_SEND_ERROR })).kind).toBe('transient');
    const nodeError = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(mapArmError(nodeError).retryable).toBe(true);
  });

  it('does not retry a parse error or an unknown code without status', () => {
    expect(mapArmError(new RestError('bad json', { code: RestError.PARSE_ERROR }))).toMatchObject({ kind: 'unknown', retryable: false });
  });
});

describe('mapArmError: long-running operations (real core-lro poller)', () => {
  it('parses code and message of a failed operation', async () => {
    const e = await lroFailure({ code: 'Conflict', message: "The resource 'c1' is busy. Please try again later." });
    expect((e as Error).message).toBe("The long-running operation has failed. Conflict. The resource 'c1' is busy. Please try again later.");
    expect(mapArmError(e)).toEqual({
      code: 'Conflict',
      message: "The resource 'c1' is busy. Please try again later.",
      retryable: true,
      kind: 'lro-failed',
    });
  });

  it('keeps inner error codes and marks non-transient failures as not retryable', async () => {
    const e = await lroFailure({
      code: 'BadRequest',
      message: 'Deployment failed.',
      innererror: { code: 'InvalidSubnet', message: 'Subnet is full.' },
    });
    expect(mapArmError(e)).toMatchObject({ code: 'InvalidSubnet', message: 'Deployment failed. Subnet is full.', retryable: false, kind: 'lro-failed' });
  });

  it('handles a failed operation without error details', async () => {
    const e = await lroFailure(undefined);
    expect(mapArmError(e)).toMatchObject({ code: 'OperationFailed', kind: 'lro-failed', retryable: false });
  });

  it('treats transient and not-found LRO codes accordingly', async () => {
    expect(mapArmError(await lroFailure({ code: 'InternalServerError', message: 'oops' })).retryable).toBe(true);
    const gone = await lroFailure({ code: 'ResourceNotFound', message: 'gone' });
    expect(mapArmError(gone).kind).toBe('lro-failed');
    expect(isNotFound(gone)).toBe(true);
  });

  it('maps a canceled poller', () => {
    expect(mapArmError(new Error('Operation was canceled'))).toMatchObject({ kind: 'lro-failed', code: 'OperationCanceled', retryable: false });
  });
});

describe('helpers', () => {
  it('isNotFound, isRetryable, describeArmError', () => {
    expect(isNotFound(restError(404, 'ResourceNotFound', 'gone'))).toBe(true);
    expect(isNotFound(restError(400, 'BadRequest', 'no'))).toBe(false);
    expect(isNotFound(new Error('boom'))).toBe(false);
    expect(isRetryable(restError(429, 'TooManyRequests', 'x'))).toBe(true);
    expect(isRetryable(restError(403, 'AuthorizationFailed', 'x'))).toBe(false);
    expect(describeArmError(restError(404, 'ResourceNotFound', 'gone'))).toBe('ResourceNotFound (404): gone');
  });

  it('never throws on odd inputs', () => {
    expect(mapArmError(undefined)).toMatchObject({ kind: 'unknown', retryable: false });
    expect(mapArmError('text')).toMatchObject({ kind: 'unknown', message: 'text' });
    expect(mapArmError({ statusCode: 404 })).toMatchObject({ kind: 'not-found', code: 'Http404' });
    const abort = Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
    expect(mapArmError(abort)).toMatchObject({ kind: 'unknown', code: 'Aborted', retryable: false });
  });
});
