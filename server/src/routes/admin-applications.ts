import { Router, type Request, type Response } from 'express';
import { fromNodeHeaders } from 'better-auth/node';
import type { Db } from 'mongodb';
import {
  CreateApplicationSchema, RECENT_APPLICATION_EVENTS_LIMIT, UpdateApplicationSchema,
  type Application, type ApplicationActivity, type ApplicationDetail, type ApplicationList, type ApplicationWithSecret, type SuccessBody,
} from '@wechat-login/shared';
import type { z } from 'zod';
import type { Auth } from '../auth/create-auth.js';
import { adminIdOf, requireAdmin } from '../http/require-admin.js';
import { requireTrustedOrigin } from '../http/require-trusted-origin.js';
import type { AuditEventInput, AuditRecorder } from '../audit/types.js';
import { errorCodeOf } from '../audit/record-outcome.js';
import { requestAuditMeta } from '../audit/request-meta.js';
import { invalidApplicationInput } from '../applications/application-errors.js';
import {
  createApplication, deleteApplication, getApplication, listApplications, providerEndpoints, rotateApplicationSecret, updateApplication, type ApplicationsDeps,
} from '../applications/applications-service.js';
import { applicationActivity, type ApplicationActivityDeps } from '../applications/application-activity.js';

export interface AdminApplicationsDeps extends ApplicationsDeps {
  db: Db;
  audit: AuditRecorder & ApplicationActivityDeps['audit'];
}

function parseApplicationBody<Schema extends z.ZodType>(schema: Schema, req: Request): z.infer<Schema> {
  const parsed = schema.safeParse(req.body ?? {});
  if (!parsed.success) throw invalidApplicationInput(parsed.error);
  return parsed.data;
}

/** Runs an admin's change and records it once: success with the facts `describe` picks, or failure with the error code. */
async function audited<T>(audit: AuditRecorder, event: Omit<AuditEventInput, 'outcome'>, action: () => Promise<T>, describe: (result: T) => AuditEventInput['details']): Promise<T> {
  let result: T;
  try {
    result = await action();
  } catch (error) {
    audit.record({ ...event, outcome: 'failure', details: { ...event.details, code: errorCodeOf(error) } });
    throw error;
  }
  audit.record({ ...event, outcome: 'success', details: { ...event.details, ...describe(result) } });
  return result;
}

function adminEvent(req: Request, res: Response, type: AuditEventInput['type'], clientId?: string): Omit<AuditEventInput, 'outcome'> {
  return { type, userId: null, actorId: adminIdOf(res), ...requestAuditMeta(req), details: clientId === undefined ? {} : { clientId } };
}

/** Below the router's mount point, `/api/v1/admin` (the shared APPLICATIONS is below `/api/v1`). */
const APPLICATIONS = '/applications';

const described = (application: Application) => ({ clientId: application.clientId, applicationName: application.name, applicationType: application.type });

/**
 * `/api/v1/admin/applications`: the OIDC clients. Admins only; writes must come from a trusted page
 * (they ride on the admin's cookie). A client secret is in the answer of a create or a rotation and
 * nowhere else: not in the list, the detail, the audit trail or a log line.
 */
export function adminApplicationsRouter(deps: AdminApplicationsDeps): Router {
  const router = Router();
  router.use(APPLICATIONS, requireAdmin(deps.auth), requireTrustedOrigin(deps.auth), (_req, res, next) => {
    // A secret must not sit in a browser or proxy cache; the rest changes with every edit.
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get(APPLICATIONS, async (_req, res) => {
    const body: SuccessBody<ApplicationList> = { success: true, data: await listApplications(deps) };
    res.json(body);
  });

  router.post(APPLICATIONS, async (req, res) => {
    const input = parseApplicationBody(CreateApplicationSchema, req);
    const created = await audited(deps.audit, adminEvent(req, res, 'admin.application-created'), () => createApplication(deps, input, fromNodeHeaders(req.headers)), (result) =>
      described(result.application),
    );
    req.log.info({ clientId: created.application.clientId }, '[API] admin registered an OIDC application');
    const body: SuccessBody<ApplicationWithSecret> = { success: true, data: created };
    res.status(201).json(body);
  });

  router.get(`${APPLICATIONS}/:clientId`, async (req, res) => {
    const body: SuccessBody<ApplicationDetail> = { success: true, data: { ...(await getApplication(deps, req.params.clientId as string)), provider: providerEndpoints(deps.issuer) } };
    res.json(body);
  });

  router.patch(`${APPLICATIONS}/:clientId`, async (req, res) => {
    const clientId = req.params.clientId as string;
    const changes = parseApplicationBody(UpdateApplicationSchema, req);
    const event = adminEvent(req, res, 'admin.application-updated', clientId);
    const updated = await audited(deps.audit, { ...event, details: { ...event.details, fields: Object.keys(changes).sort().join(',') } }, () => updateApplication(deps, clientId, changes), described);
    req.log.info({ clientId, fields: Object.keys(changes) }, '[API] admin updated an OIDC application');
    const body: SuccessBody<Application> = { success: true, data: updated };
    res.json(body);
  });

  router.delete(`${APPLICATIONS}/:clientId`, async (req, res) => {
    const clientId = req.params.clientId as string;
    await audited(deps.audit, adminEvent(req, res, 'admin.application-deleted', clientId), () => deleteApplication(deps, clientId), described);
    req.log.info({ clientId }, '[API] admin deleted an OIDC application');
    res.json({ success: true, data: { deleted: true } });
  });

  router.post(`${APPLICATIONS}/:clientId/rotate-secret`, async (req, res) => {
    const clientId = req.params.clientId as string;
    const rotated = await audited(deps.audit, adminEvent(req, res, 'admin.application-secret-rotated', clientId), () => rotateApplicationSecret(deps, clientId), (result) =>
      described(result.application),
    );
    req.log.info({ clientId }, '[API] admin rotated an OIDC application secret');
    const body: SuccessBody<ApplicationWithSecret> = { success: true, data: rotated };
    res.json(body);
  });

  router.get(`${APPLICATIONS}/:clientId/activity`, async (req, res) => {
    const application = await getApplication(deps, req.params.clientId as string);
    const body: SuccessBody<ApplicationActivity> = {
      success: true,
      data: await applicationActivity({ db: deps.db, audit: deps.audit, context: deps.context }, application.clientId, RECENT_APPLICATION_EVENTS_LIMIT),
    };
    res.json(body);
  });

  return router;
}
