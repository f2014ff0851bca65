/**
 * Request and response examples of the OpenAPI document, copied verbatim from the 0xhost docs'
 * pages (the five order pages, docs/0xhost-compat.md 3.9, 3.11, 3.14, 3.25, 3.26: their request
 * bodies and response examples; test/http/openapi.test.ts checks they are still identical to
 * test/compat/order-examples.ts). The others are the docs' where a page shows a whole example.
 * Documentation only: the docs' ids are not oxbill's demo ids everywhere, and their responses
 * predate oxbill's extra fields.
 */

export interface Example {
  summary: string
  value: unknown
}
export interface OperationExamples {
  request?: Record<string, Example>
  response?: Record<string, Example>
}

/** By operationId. */
export const EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  createOrder: {
    request: {
      new_server: {
        summary: 'New server (Payments - Server - Create New Order Server)',
        value: {
          user_id: 'user12345-6789-0123-4567-890123456789',
          plan_id: '5',
          os_image_id: '13',
          location: 'Slovenia',
          name_server: 'testServerAPI',
        },
      },
      change_plan: {
        summary: 'Change of plan (Payments - Server - Create Order Scale Server Change Plan)',
        value: {
          user_id: 'user12345-6789-0123-4567-890123456789',
          server_id: 'server12345-6789-0123-4567-890123456789',
          plan_id: '7',
        },
      },
      extend_hours: {
        summary: 'Extension by hours (Payments - Server - Create Order Scale Server Extend Hours)',
        value: {
          user_id: 'user12345-6789-0123-4567-890123456789',
          server_id: 'server12345-6789-0123-4567-890123456789',
          hours: 1,
        },
      },
    },
    response: {
      new_server: {
        summary: 'New server',
        value: {
          success: true,
          amount: 12.99,
          balance_before: '3396.52',
          type: 'new_server',
          plan_id: '5',
          password: 'demoPassword123',
          hours_purchased: '720',
          upgrade_difference: 0,
          order_id: '52151f7fa4-c8cb-1sda1f0-8cfd-524875130254',
          server_status: {
            new_id: '851werff19c67-c8cb-134f0-8cdf-5261616516',
            id_solusvm: 493,
            name: 'testingApiKey',
            metadata: 'password=demoPassword123',
            primary_ip: '192.168.100.100',
          },
        },
      },
      change_plan: {
        summary: 'Change of plan',
        value: {
          success: true,
          amount: 54.75,
          balance_before: '3383.53',
          type: 'scale_server',
          plan_id: '7',
          password: null,
          hours_purchased: '720',
          upgrade_difference: 24.76,
          order_id: 'f6ecf947-c8cb-11f0-8cdf-525400792197',
          server_status: {
            id: '8ecf771b-9d61-11f0-8cae-525400792197',
            id_solusvm: 251,
            solusvm_uuid: null,
            cpu_cores: 2,
            ram: 6442450944,
            disk: 40,
            disk_type: 'ssd',
            cpu: null,
            ramD: null,
            diskD: null,
            name: 'demo-server-001',
            auto_renew: 0,
            primary_ip: '192.168.100.101',
            extra_ips: null,
            status: 'active',
            updated_at: '2025-11-24 01:24:39',
            plan_id: 7,
            location: 'Slovenia',
            os_image_id: 6,
            rental_duration_hours: 720,
            owner_id: 'user12345-6789-0123-4567-890123456789',
            created_at: '2025-09-29 20:24:39',
            expire_date: '2026-01-17 19:50:04',
            metadata: 'password=demoPassword123',
            user_id: 'user12345-6789-0123-4567-890123456789',
            username: 'root',
            userIsActive: 1,
            plan_price: '29.99',
          },
        },
      },
    },
  },
  createOrderAddon: {
    request: {
      addon: {
        summary: 'Payments - Addons - Create New Order Addon',
        value: {
          user_id: 'user12345-6789-0123-4567-890123456789',
          addon_id: 'addon12345-6789-0123-4567-890123456789',
          server_id: 'server12345-6789-0123-4567-890123456789',
        },
      },
    },
    response: {
      addon: {
        summary: 'Payments - Addons - Create New Order Addon',
        value: {
          success: true,
          order: {
            id: 'order12345-6789-0123-4567-890123456789',
            status: 'completed',
            metadata: 'Array',
            amount: '3.99',
            currency: 'EUR',
          },
          addon_server: {
            id: 'addon12345-6789-0123-4567-890123456789',
            addon_id: 'addon12345-6789-0123-4567-890123456789',
            server_id: 'server12345-6789-0123-4567-890123456789',
            user_id: 'user12345-6789-0123-4567-890123456789',
            assigned_price: '3.99',
            status: 'unassigned',
          },
        },
      },
    },
  },
  createOrderPlesk: {
    request: {
      plesk: {
        summary: 'Plesk - Orders - Create Order',
        value: {
          plan_id: 'plan123-4567-8901-2345-678901234567',
          client_id: 'client123-4567-8901-2345-678901234567',
          domain_name: 'example.com',
          ftp_login: 'ftp_user',
          ftp_password: 'FtpPass123',
          subscription_duration: '1',
          type_payment: 'balance',
        },
      },
    },
    response: {
      plesk: {
        summary: 'Plesk - Orders - Create Order',
        value: {
          success: true,
          message: 'Plesk order created successfully',
          order: {
            id: 'order123-4567-8901-2345-678901234567',
            order_number: 'PLK_20250320_123456',
            status: 'completed',
            amount: '9.99',
            currency: 'EUR',
          },
          subscription: {
            id: 'sub123-4567-8901-2345-678901234567',
            domain_name: 'example.com',
            status: 'active',
            expires_at: '2025-04-20 10:30:00',
          },
          balance_after: '90.01',
        },
      },
    },
  },
  createOrderScalePlesk: {
    request: {
      renew: {
        summary: 'Plesk - Orders - Scale Order',
        value: {
          subscription_id: 'sub123-4567-8901-2345-678901234567',
          new_plan_id: 'plan234-5678-9012-3456-789012345678',
          months: '3',
          type_payment: 'balance',
        },
      },
    },
    response: {
      renew: {
        summary: 'Plesk - Orders - Scale Order',
        value: {
          success: true,
          message: 'Subscription renewed successfully',
          order: {
            id: 'order234-5678-9012-3456-789012345678',
            order_number: 'PLK_RENEW_20250320_123456',
            status: 'completed',
            amount: '29.97',
            currency: 'EUR',
          },
          subscription: {
            id: 'sub123-4567-8901-2345-678901234567',
            domain_name: 'example.com',
            new_expires_at: '2025-07-01 10:00:00',
            months_added: 3,
          },
          balance_after: '60.04',
        },
      },
    },
  },
  updateAutoRenew: {
    request: {
      off: {
        summary: 'Server - Update Autorenew (the docs send auto_renew as a string)',
        value: {
          user_id: 'user12345-6789-0123-4567-890123456789',
          server_id: 'server12345-6789-0123-4567-890123456789',
          auto_renew: '0',
        },
      },
    },
    response: {
      updated: {
        summary: 'Server - Update Autorenew',
        value: {
          success: true,
          message: 'Auto-renew updated successfully',
        },
      },
    },
  },
  createInvoice: {
    request: {
      renew_server: {
        summary: 'Invoice, .net: renew a server by crypto',
        value: {
          user_id: 'user12345-6789-0123-4567-890123456789',
          server_id: 'server12345-6789-0123-4567-890123456789',
        },
      },
      pay_order: {
        summary: 'Invoice, .com: the invoice of a pending crypto order',
        value: {
          user_id: 'user12345-6789-0123-4567-890123456789',
          order_id: 'order12345-6789-0123-4567-890123456789',
          currency: 'EUR',
          pay_currency: 'ETH',
          network: 'Ethereum',
        },
      },
    },
  },
}
