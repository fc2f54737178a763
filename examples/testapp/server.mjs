// Starts the test application: `pnpm -C examples/testapp start` (PORT, default 3000).
import { createTestApp } from './app.mjs';

const port = Number(process.env.PORT ?? 3000);
const { httpServer, io } = createTestApp();

httpServer.listen(port, () => {
  console.log(`Switchyard testapp: http://localhost:${port}/ (Socket.IO at /socket.io/)`);
});

const stop = () => io.close().then(() => httpServer.close(() => process.exit(0)));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
