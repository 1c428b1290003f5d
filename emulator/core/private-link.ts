/**
 * Private endpoint connections and private link resources of a private-link target type (Microsoft.Cache/Redis,
 * Microsoft.Cache/redisEnterprise). The connection resources live under the target
 * (`{targetId}/privateEndpointConnections/{name}`, the source of truth) and are mirrored, as `{ id, properties }`
 * entries, in the target's `properties.privateEndpointConnections` array.
 */
import { ArmError, type ArmResource, type EmulatorContext, type PrivateLinkTarget, type RouteDef } from './types';
import { ok, requireObjectBody, requireParent, requireResource } from './helpers';
import { resourceNotFound } from './errors';
import { sameId } from './ids';

export const PEC_SEGMENT = 'privateEndpointConnections';

export type ConnectionStatus = 'Pending' | 'Approved' | 'Rejected';

export interface PrivateLinkHostOptions {
  /** ARM type of the target, e.g. 'Microsoft.Cache/Redis'. */
  type: string;
  /** The route template of the target, e.g. '/subscriptions/{subscriptionId}/.../Microsoft.Cache/redis/{cacheName}'. */
  targetTemplate: string;
  /** Builds the target id from the route params. */
  targetId(params: Record<string, string>): string;
  groupId: string;
  requiredZoneNames(target: ArmResource): string[];
  /** Throws when the target cannot take a write now (busy). */
  assertWritable(target: ArmResource): void;
  /** The seed rules for a new connection (VNet injection, geo-replication, limits, ...). */
  validateNewConnection(ctx: EmulatorContext, target: ArmResource, privateEndpointId: string): void;
  fqdns(target: ArmResource): string[];
  endpointInfo(target: ArmResource): { hostName: string; port: number; publicNetworkAccess: boolean; publicIp: string };
}

export function connections(ctx: EmulatorContext, targetId: string): ArmResource[] {
  return ctx.store.children(targetId, PEC_SEGMENT);
}

export function connectionForEndpoint(ctx: EmulatorContext, targetId: string, privateEndpointId: string): ArmResource | undefined {
  return connections(ctx, targetId).find((c) => sameId(c.properties?.privateEndpoint?.id, privateEndpointId));
}

/** Rewrites the target's embedded `privateEndpointConnections` array from the connection resources. */
export function refreshEmbeddedConnections(ctx: EmulatorContext, targetId: string): void {
  const target = ctx.store.get(targetId);
  if (!target) return;
  target.properties.privateEndpointConnections = connections(ctx, targetId).map((c) => ({
    id: c.id,
    properties: {
      privateEndpoint: c.properties.privateEndpoint,
      privateLinkServiceConnectionState: c.properties.privateLinkServiceConnectionState,
    },
  }));
  ctx.store.put(target);
}

/** Creates connection resources for embedded entries an estate listed without their own resource. */
export function adoptEmbeddedConnections(ctx: EmulatorContext, type: string, target: ArmResource): void {
  const embedded: any[] = Array.isArray(target.properties?.privateEndpointConnections) ? target.properties.privateEndpointConnections : [];
  for (const e of embedded) {
    if (typeof e?.id !== 'string' || ctx.store.get(e.id)) continue;
    const name = e.id.split('/').pop() as string;
    ctx.store.put({
      id: e.id,
      name,
      type: `${type}/${PEC_SEGMENT}`,
      properties: {
        provisioningState: 'Succeeded',
        privateEndpoint: e.properties?.privateEndpoint ?? {},
        privateLinkServiceConnectionState: {
          actionsRequired: 'None',
          ...(e.properties?.privateLinkServiceConnectionState ?? { status: 'Approved', description: 'Auto-Approved' }),
        },
      },
    });
  }
}

const STATUSES: ConnectionStatus[] = ['Pending', 'Approved', 'Rejected'];

function normalizeStatus(s: unknown): ConnectionStatus | undefined {
  return typeof s === 'string' ? STATUSES.find((x) => x.toLowerCase() === s.toLowerCase()) : undefined;
}

export function createPrivateLinkTarget(ctx: EmulatorContext, o: PrivateLinkHostOptions): PrivateLinkTarget {
  return {
    type: o.type,
    groupIds: [o.groupId],
    validateConnection(target, groupId, privateEndpointId) {
      if (groupId.toLowerCase() !== o.groupId.toLowerCase()) {
        throw new ArmError(
          400,
          'PrivateEndpointBadRequest',
          `Call to ${o.type} failed. Error message: The group id '${groupId}' is not supported; the supported group id is '${o.groupId}'.`,
        );
      }
      o.assertWritable(target);
      o.validateNewConnection(ctx, target, privateEndpointId);
    },
    attach(target, input) {
      const existing = connectionForEndpoint(ctx, target.id, input.privateEndpointId);
      const id = existing?.id ?? `${target.id}/${PEC_SEGMENT}/${input.connectionName}`;
      ctx.store.put({
        id,
        name: id.split('/').pop() as string,
        type: `${o.type}/${PEC_SEGMENT}`,
        properties: {
          provisioningState: 'Succeeded',
          privateEndpoint: { id: input.privateEndpointId },
          privateLinkServiceConnectionState: {
            status: input.status,
            description: input.status === 'Approved' ? 'Auto-Approved' : input.requestMessage ?? 'Awaiting approval',
            actionsRequired: 'None',
          },
        },
      });
      refreshEmbeddedConnections(ctx, target.id);
      return id;
    },
    detach(targetId, privateEndpointId) {
      const c = connectionForEndpoint(ctx, targetId, privateEndpointId);
      if (!c) return;
      ctx.store.delete(c.id);
      refreshEmbeddedConnections(ctx, targetId);
    },
    connectionState(targetId, privateEndpointId) {
      const c = connectionForEndpoint(ctx, targetId, privateEndpointId);
      const s = c?.properties?.privateLinkServiceConnectionState;
      return s ? { status: s.status, description: s.description ?? '', ...(s.actionsRequired ? { actionsRequired: s.actionsRequired } : {}) } : undefined;
    },
    fqdns: (target) => o.fqdns(target),
    endpointInfo: (target) => o.endpointInfo(target),
  };
}

/** The list/get/put/delete routes of private endpoint connections plus the private link resources list. */
export function privateLinkRoutes(o: PrivateLinkHostOptions): RouteDef[] {
  const pecTemplate = `${o.targetTemplate}/privateEndpointConnections/{privateEndpointConnectionName}`;
  const pecId = (p: Record<string, string>) => `${o.targetId(p)}/${PEC_SEGMENT}/${p.privateEndpointConnectionName}`;
  return [
    {
      method: 'GET',
      template: `${o.targetTemplate}/privateEndpointConnections`,
      handler: (_req, p, ctx) => {
        // Not paged by the SDKs (no nextLink operation): always the whole list.
        const target = requireParent(ctx, o.targetId(p));
        return ok({ value: connections(ctx, target.id) });
      },
    },
    {
      method: 'GET',
      template: pecTemplate,
      handler: (_req, p, ctx) => {
        return ok(requireResource(ctx, pecId(p)));
      },
    },
    {
      // Approve / reject. The connection itself is created by the private endpoint (Microsoft.Network).
      method: 'PUT',
      template: pecTemplate,
      handler: (req, p, ctx) => {
        const target = requireParent(ctx, o.targetId(p));
        const body = requireObjectBody(req);
        const state = body.properties?.privateLinkServiceConnectionState;
        const status = normalizeStatus(state?.status);
        if (!status) {
          throw new ArmError(400, 'InvalidRequestContent', 'properties.privateLinkServiceConnectionState.status must be one of Pending, Approved, Rejected.');
        }
        const existing = ctx.store.get(pecId(p));
        if (!existing) throw resourceNotFound(pecId(p));
        o.assertWritable(target);
        const current = normalizeStatus(existing.properties.privateLinkServiceConnectionState?.status);
        if (current === 'Rejected' && status !== 'Rejected') {
          throw new ArmError(
            400,
            'PrivateEndpointConnectionStateTransitionNotAllowed',
            `The private endpoint connection '${existing.name}' was rejected and cannot be moved to '${status}'. Delete and recreate the private endpoint.`,
          );
        }
        existing.properties.privateLinkServiceConnectionState = {
          status,
          description: typeof state.description === 'string' ? state.description : existing.properties.privateLinkServiceConnectionState?.description ?? '',
          actionsRequired: typeof state.actionsRequired === 'string' ? state.actionsRequired : 'None',
        };
        existing.properties.provisioningState = 'Succeeded';
        const saved = ctx.store.put(existing);
        refreshEmbeddedConnections(ctx, target.id);
        return ok(saved, 200);
      },
    },
    {
      // The SDK accepts only 200 and 204 here (not an LRO).
      method: 'DELETE',
      template: pecTemplate,
      handler: (_req, p, ctx) => {
        const target = requireParent(ctx, o.targetId(p));
        const existing = ctx.store.get(pecId(p));
        if (!existing) return { status: 204 };
        o.assertWritable(target);
        ctx.store.delete(existing.id);
        refreshEmbeddedConnections(ctx, target.id);
        return { status: 200 };
      },
    },
    {
      method: 'GET',
      template: `${o.targetTemplate}/privateLinkResources`,
      handler: (_req, p, ctx) => {
        const target = requireParent(ctx, o.targetId(p));
        return ok({ value: [
          {
            id: `${target.id}/privateLinkResources/${o.groupId}`,
            name: o.groupId,
            type: `${o.type}/privateLinkResources`,
            properties: { groupId: o.groupId, requiredMembers: [o.groupId], requiredZoneNames: o.requiredZoneNames(target) },
          },
        ] });
      },
    },
  ];
}
