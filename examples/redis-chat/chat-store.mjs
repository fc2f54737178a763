// What the chat keeps in Redis, so that it outlives every node: the rooms (a sorted set, most recently
// used first) and each room's history (a list capped at `historyLength` messages). Every node reads and
// writes the same keys; nothing is kept in a node's memory.

export function chatStore(redis, { key, historyLength = 100, roomLimit = 50 }) {
  const roomsKey = `${key}:rooms`;
  const historyKey = (room) => `${key}:history:${room}`;
  return {
    /** The rooms, most recently active first. */
    rooms: () => redis.zrevrange(roomsKey, 0, roomLimit - 1),

    /** Records `room` as active now; resolves true when the room did not exist before. */
    async touch(room) {
      const [[, added]] = await redis.multi().zadd(roomsKey, 'NX', Date.now(), room).zadd(roomsKey, Date.now(), room).exec();
      return added === 1;
    },

    /** The room's last messages, oldest first. */
    async history(room) {
      return (await redis.lrange(historyKey(room), 0, -1)).map((entry) => JSON.parse(entry));
    },

    /** Appends a message to the room's history, dropping the oldest past `historyLength`. */
    async append(room, message) {
      await redis
        .multi()
        .rpush(historyKey(room), JSON.stringify(message))
        .ltrim(historyKey(room), -historyLength, -1)
        .zadd(roomsKey, message.at, room)
        .exec();
    },
  };
}
