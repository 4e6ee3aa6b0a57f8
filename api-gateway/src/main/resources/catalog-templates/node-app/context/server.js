const http = require("http");

http
  .createServer((request, response) => response.end("hello\n"))
  .listen(3000);
