import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { FakeServerRecord, FakeState } from './state.ts'
import { RfbSession } from './vnc-rfb.ts'
import { renderScreen } from './vnc-screen.ts'

/**
 * The fake master's VNC websocket at `/vnc?url=<token>`, where the adapter's console URL points
 * (panel-actions.md §1.4): the upgrade is refused (403) unless the token is one `vnc_up` minted,
 * unexpired on the fake's clock and not yet used, and (409) unless its VM is `started`; then the
 * socket carries a real RFB 3.8 session (vnc-rfb.ts) with the VM's VNC password, as SolusVM's
 * websockify does in front of the hypervisor's VNC server. What arrives is counted in
 * `state.vnc` (FakeVncRecord), for the tests.
 */
export interface FakeVncEndpoint {
  /** Ends every open console session (the fake is closing). */
  close(): void
}

const running = (vm: FakeServerRecord): boolean => vm.baseStatus === 'started' && vm.busyTaskId === null

export function attachVnc(server: Server, state: FakeState, onChange: () => void): FakeVncEndpoint {
  // One VNC message is small except a framebuffer, which only the server sends.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 2 * 1024 * 1024 })
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid')
    if (url.pathname !== '/vnc') return refuse(socket, 404, 'Not Found')
    state.tick()
    const vm = state.takeConsole(url.searchParams.get('url') ?? '')
    onChange()
    if (vm === null) return refuse(socket, 403, 'The console link is invalid or has expired.')
    if (!running(vm)) return refuse(socket, 409, 'The server is not running.')
    wss.handleUpgrade(req, socket, head, ws => serve(ws, vm))
  })

  function serve(ws: WebSocket, vm: FakeServerRecord): void {
    const record = state.vncRecord(vm.id)
    const session = new RfbSession({
      password: vm.vncPassword ?? '',
      name: vm.name,
      screen: () => renderScreen(vm.name, record.ctrlAltDel),
      running: () => {
        state.tick()
        const now = state.servers.get(vm.id)
        return now !== undefined && running(now)
      },
      record,
      onChange,
      send: bytes => {
        if (ws.readyState === ws.OPEN) ws.send(bytes)
      },
      // After what was sent (a SecurityResult's reason), like a VNC server closing its socket.
      end: why => ws.close(1000, why.slice(0, 120)),
    })
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return ws.close(1003, 'binary frames only')
      session.receive(Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]))
    })
    ws.on('error', () => ws.terminate())
  }

  return {
    close() {
      for (const ws of wss.clients) ws.terminate()
      wss.close()
    },
  }
}

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ message })
  const reason = status === 403 ? 'Forbidden' : status === 409 ? 'Conflict' : 'Not Found'
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}
