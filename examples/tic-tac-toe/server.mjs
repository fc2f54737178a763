// Starts tic-tac-toe: `pnpm -C examples/tic-tac-toe start` (PORT, default 3000).
import { createTicTacToe } from './app.mjs';

const port = Number(process.env.PORT ?? 3000);
const { httpServer, io } = createTicTacToe();
httpServer.listen(port, () => console.log(`Switchyard tic-tac-toe: http://localhost:${port}/`));

const stop = async () => {
  await io.close();
  httpServer.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
