import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { listOsImages } from '../../../../domain/queries/list-os-images.ts'
import { withErrors } from '../../../schemas/common.ts'
import { pageOf } from '../../../schemas/paging.ts'
import { PagedQuery } from '../shared.schema.ts'
import { OsImagesResponse } from './catalog.schema.ts'

/** GET /API/catalog/os_images: OS images, each with the versions orders take as os_image_id. */
export const listOsImagesRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/catalog/os_images',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listOsImages',
          tags: ['catalog'],
          summary: 'OS images, each with the versions orders take as os_image_id',
          querystring: PagedQuery,
          response: withErrors({ 200: OsImagesResponse }),
        },
      },
      async req => ({ success: true, ...(await listOsImages(deps.db, { page: pageOf(req.query) })) }),
    )
  }
