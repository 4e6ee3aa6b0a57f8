import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";

// The gateway serves what lands in target/classes/META-INF/resources at /.
export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: {
    outDir: "../../../target/classes/META-INF/resources",
    emptyOutDir: true,
  },
  server: {
    // `npm run dev` against a farm: KILN_URL=http://localhost:8080 npm run dev
    proxy: {
      "/api": { target: process.env.KILN_URL ?? "http://localhost:8080", ws: true },
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
