import { NextResponse } from 'next/server';

/** Signs in: the name goes into a cookie that the `/me` namespace reads. */
export function GET(request) {
  const name = (request.nextUrl.searchParams.get('name') ?? '').trim().slice(0, 32) || 'anonymous';
  const response = new NextResponse(null, { status: 303, headers: { location: '/' } });
  response.cookies.set('name', name, { path: '/', httpOnly: true, sameSite: 'lax' });
  return response;
}
