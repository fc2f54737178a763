import { NextResponse } from 'next/server';
import { signName } from '../../signed-name.mjs';

/** Signs in: the name goes into a signed cookie that the `/me` namespace checks. */
export function GET(request) {
  const name = (request.nextUrl.searchParams.get('name') ?? '').trim().slice(0, 32) || 'anonymous';
  const response = new NextResponse(null, { status: 303, headers: { location: '/' } });
  response.cookies.set('name', signName(name), { path: '/', httpOnly: true, sameSite: 'lax' });
  return response;
}
