import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Deps } from '../../../deps.ts'
import { createCatalogItem } from '../../../domain/admin/create-catalog-item.ts'
import { updateCatalogItem } from '../../../domain/admin/update-catalog-item.ts'
import { deactivateCatalogItem } from '../../../domain/admin/deactivate-catalog-item.ts'
import { listCatalogItems } from '../../../domain/admin/list-catalog-items.ts'
import { flag } from '../../../domain/admin/filters.ts'
import { PagedResponse, pageOf } from '../../schemas/paging.ts'
import { adminMeta } from './meta.ts'
import { Changed, NoQuery, responses } from './common.schema.ts'
import { CatalogListQuery, CatalogSpecs, ItemParams, type CatalogSpec } from './catalog.schema.ts'

const admin = { auth: 'admin' as const }
const tags = ['admin']

/** List, create, update and deactivate (DELETE) for one catalog table. */
const catalogRoutes =
  (deps: Deps, spec: CatalogSpec): FastifyPluginAsyncTypebox =>
  async app => {
    const base = `/API/admin/catalog/${spec.path}`
    const Result = Type.Object({ success: Type.Boolean(), changed: Changed, item: spec.item })

    app.get(
      base,
      {
        config: admin,
        schema: {
          operationId: `adminList${spec.many}`,
          tags,
          summary: `List ${spec.label}s, inactive ones included unless filtered`,
          querystring: CatalogListQuery,
          response: responses({ 200: PagedResponse(spec.item) }),
        },
      },
      async req => ({
        success: true,
        ...(await listCatalogItems(deps.db, spec.kind, { active: flag(req.query.active) }, pageOf(req.query))),
      }),
    )

    app.post(
      base,
      {
        config: admin,
        schema: {
          operationId: `adminCreate${spec.one}`,
          tags,
          summary: `Add a ${spec.label}`,
          body: spec.create,
          querystring: NoQuery,
          response: responses({ 201: Type.Object({ success: Type.Boolean(), item: spec.item }) }, [
            'not_found',
            'conflict',
          ]),
        },
      },
      async (req, reply) => {
        const item = await createCatalogItem(deps.db, adminMeta(req), spec.kind, req.body)
        return reply.code(201).send({ success: true, item })
      },
    )

    app.patch(
      `${base}/:id`,
      {
        config: admin,
        schema: {
          operationId: `adminUpdate${spec.one}`,
          tags,
          summary: `Change a ${spec.label}; a new price applies to new orders only (past orders keep their amounts)`,
          params: ItemParams,
          body: spec.update,
          querystring: NoQuery,
          response: responses({ 200: Result }, ['conflict']),
        },
      },
      async req => ({
        success: true,
        ...(await updateCatalogItem(
          deps.db,
          adminMeta(req),
          spec.kind,
          req.params.id,
          req.body as Record<string, unknown>,
          deps.clock.now(),
        )),
      }),
    )

    app.delete(
      `${base}/:id`,
      {
        config: admin,
        schema: {
          operationId: `adminDeactivate${spec.one}`,
          tags,
          summary: `Deactivate a ${spec.label} (rows are never deleted: existing services keep referring to it)`,
          params: ItemParams,
          querystring: NoQuery,
          response: responses({ 200: Result }),
        },
      },
      async req => ({
        success: true,
        ...(await deactivateCatalogItem(deps.db, adminMeta(req), spec.kind, req.params.id, deps.clock.now())),
      }),
    )
  }

/** The catalog routes of every catalog table. */
export const adminCatalogRoutes = (deps: Deps): FastifyPluginAsyncTypebox[] =>
  CatalogSpecs.map(spec => catalogRoutes(deps, spec))
