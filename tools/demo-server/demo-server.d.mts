export declare const CONTENT_SECURITY_POLICY: string;
export declare function startDemoServer(options?: {
  port?: number;
  hostname?: string;
  hostNames?: string[];
}): Promise<{ url: string; stop(): Promise<void> }>;
