export declare function startBenchServer(options?: {
  port?: number;
  hostname?: string;
}): Promise<{ origin: string; stop(): Promise<void> }>;
