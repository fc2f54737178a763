// Express 4 is installed under the alias `express4`; its API is the part of Express 5's the tests use.
declare module 'express4' {
  import express from 'express';
  export default express;
}
