/**
 * Socket.IO handshake authentication: no valid token, no connection; the client sees
 * connect_error "unauthorized". The verified user id is kept in `socket.data.userId`.
 */
import type { Socket } from 'socket.io';
import { verifyAccessToken } from '../../shared/tokens.ts';

/** The token a client sent as `io(url, { auth: { token } })`, or null when there is none. */
export function handshakeToken(auth: unknown): string | null {
  const token = (auth as { token?: unknown } | null | undefined)?.token;
  return typeof token === 'string' && token.length > 0 ? token : null;
}

export function socketAuth(jwtSecret: string): (socket: Socket, next: (err?: Error) => void) => void {
  return (socket, next) => {
    const token = handshakeToken(socket.handshake.auth);
    if (!token) return next(new Error('unauthorized'));
    verifyAccessToken(jwtSecret, token).then(
      (claims) => {
        if (!claims) return next(new Error('unauthorized'));
        socket.data.userId = claims.userId;
        next();
      },
      () => next(new Error('unauthorized')),
    );
  };
}
