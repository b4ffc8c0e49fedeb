// Engine.IO v4 / Socket.IO v5 framing over a plain WebSocket, for k6 (which has no Socket.IO
// client). Pure functions, no k6 imports: Node's tests check them too.
//   Engine.IO packets: 0 open, 1 close, 2 ping, 3 pong, 4 message.
//   Socket.IO packets (inside a 4): 0 CONNECT, 1 DISCONNECT, 2 EVENT, 3 ACK, 4 CONNECT_ERROR.
// So "40{...}" connects to namespace "/" with an auth payload, "42[...]" is an event,
// "42N[...]" an event wanting ack N, "43N[...]" the ack, and a ping "2" is answered "3".

/** The WebSocket URL of a Socket.IO server at baseUrl (http -> ws, path /socket.io/). */
export function socketUrl(baseUrl, path = '/socket.io/') {
  const base = baseUrl.replace(/\/$/, '').replace(/^http/, 'ws');
  return `${base}${path}?EIO=4&transport=websocket`;
}

/** "40{"token":"..."}": connect to the default namespace with the handshake auth. */
export const connectFrame = (auth) => `40${JSON.stringify(auth)}`;

/** "42[event,data]" or, with an ack id, "42N[event,data]". */
export function eventFrame(event, data, ackId) {
  return `42${ackId === undefined ? '' : ackId}${JSON.stringify([event, data])}`;
}

/**
 * Decodes one text frame into { kind, ... }: eio-open {sid, pingInterval, pingTimeout}, ping,
 * pong, close, connect {sid}, connect-error {message}, event {name, args}, ack {id, args},
 * disconnect, or unknown.
 */
export function decodeFrame(text) {
  const eio = text.charAt(0);
  if (eio === '0') return { kind: 'eio-open', ...JSON.parse(text.slice(1)) };
  if (eio === '1') return { kind: 'close' };
  if (eio === '2') return { kind: 'ping' };
  if (eio === '3') return { kind: 'pong' };
  if (eio !== '4') return { kind: 'unknown', text };
  const sio = text.charAt(1);
  let rest = text.slice(2);
  // A namespace other than "/" would come as "/chat,": skipped, we only use "/".
  if (rest.charAt(0) === '/') rest = rest.slice(rest.indexOf(',') + 1);
  const m = /^(\d*)([\s\S]*)$/.exec(rest);
  const id = m[1] === '' ? undefined : Number(m[1]);
  const payload = m[2] === '' ? undefined : JSON.parse(m[2]);
  switch (sio) {
    case '0': return { kind: 'connect', sid: payload && payload.sid };
    case '1': return { kind: 'disconnect' };
    case '2': return { kind: 'event', name: payload[0], args: payload.slice(1), id };
    case '3': return { kind: 'ack', id, args: payload };
    case '4': return { kind: 'connect-error', message: (payload && payload.message) || JSON.stringify(payload) };
    default: return { kind: 'unknown', text };
  }
}
