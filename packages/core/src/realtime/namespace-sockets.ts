/**
 * A client's sockets by namespace name, as a Map would hold them, for a fraction of one while there is
 * a single socket (nearly every connection): that one is kept in two fields, and a Map is made only for
 * a second namespace. Iterates in insertion order, as a Map does.
 */
export class NamespaceSockets<TSocket> {
  #name: string | undefined;
  #socket: TSocket | undefined;
  #more: Map<string, TSocket> | undefined;

  get size(): number {
    return this.#more?.size ?? (this.#name === undefined ? 0 : 1);
  }

  get(name: string): TSocket | undefined {
    if (this.#more !== undefined) return this.#more.get(name);
    return name === this.#name ? this.#socket : undefined;
  }

  has(name: string): boolean {
    return this.#more !== undefined ? this.#more.has(name) : name === this.#name;
  }

  set(name: string, socket: TSocket): this {
    if (this.#more !== undefined) this.#more.set(name, socket);
    else if (this.#name === undefined || this.#name === name) {
      this.#name = name;
      this.#socket = socket;
    } else {
      this.#more = new Map<string, TSocket>().set(this.#name, this.#socket as TSocket).set(name, socket);
      this.#name = undefined;
      this.#socket = undefined;
    }
    return this;
  }

  delete(name: string): boolean {
    if (this.#more !== undefined) return this.#more.delete(name);
    if (name !== this.#name) return false;
    this.#name = undefined;
    this.#socket = undefined;
    return true;
  }

  clear(): void {
    this.#more = undefined;
    this.#name = undefined;
    this.#socket = undefined;
  }

  *values(): IterableIterator<TSocket> {
    if (this.#more !== undefined) yield* this.#more.values();
    else if (this.#name !== undefined) yield this.#socket!;
  }
}
