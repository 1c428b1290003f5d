import { ArmError, type EmulatorResponse } from './types';
import { parseResourceId } from './ids';

/** Renders an ArmError as ARM's error envelope. */
export function renderError(err: ArmError): EmulatorResponse {
  const error: Record<string, unknown> = { code: err.code, message: err.message };
  if (err.extra.target !== undefined) error.target = err.extra.target;
  if (err.extra.details !== undefined) error.details = err.extra.details;
  return { status: err.status, headers: { ...(err.extra.headers ?? {}) }, body: { error } };
}

/** Any thrown value as a response: ArmErrors keep their status, anything else is a 500 InternalServerError. */
export function errorToResponse(e: unknown): EmulatorResponse {
  if (e instanceof ArmError) return renderError(e);
  const message = e instanceof Error ? e.message : String(e);
  return renderError(new ArmError(500, 'InternalServerError', `The emulator failed: ${message}`));
}

/** 404 ResourceNotFound in ARM's wording: "The Resource 'Microsoft.Cache/Redis/x' under resource group 'rg' was not found." */
export function resourceNotFound(id: string): ArmError {
  const p = parseResourceId(id);
  const typeAndName = p?.segments.map((s) => `${s.type}/${s.name}`).join('/') ?? id;
  const full = p?.namespace ? `${p.namespace}/${typeAndName}` : typeAndName;
  return new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${full}' under resource group '${p?.resourceGroupName ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function resourceGroupNotFound(resourceGroupName: string): ArmError {
  return new ArmError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroupName}' could not be found.`);
}

export function parentResourceNotFound(parentId: string): ArmError {
  const p = parseResourceId(parentId);
  const typeAndName = p?.segments.map((s) => `${s.type}/${s.name}`).join('/') ?? parentId;
  return new ArmError(
    404,
    'ParentResourceNotFound',
    `Can not perform requested operation on nested resource. Parent resource '${typeAndName.split('/').filter((_, i) => i % 2 === 1).join('/')}' not found.`,
  );
}

export function invalidRequestContent(message: string): ArmError {
  return new ArmError(400, 'InvalidRequestContent', message);
}

export function badRequest(code: string, message: string, target?: string): ArmError {
  return new ArmError(400, code, message, target ? { target } : {});
}

export function conflict(code: string, message: string): ArmError {
  return new ArmError(409, code, message);
}
