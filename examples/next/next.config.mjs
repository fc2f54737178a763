// The example is opened as http://localhost:<port>/ by people and as http://127.0.0.1:<port>/ by its test;
// Next's dev server answers its HMR socket only to origins it knows.
export default { allowedDevOrigins: ['127.0.0.1'] };
