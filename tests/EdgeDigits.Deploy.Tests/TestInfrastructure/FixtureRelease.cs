namespace EdgeDigits.Deploy.Tests.TestInfrastructure;

/// <summary>
/// A small prepared release folder for deploy.sh --publish-dir, standing in for a Device publish
/// so each deploy copies kilobytes, not 100 MB. Its EdgeDigits.Device is a script that serves
/// GET /api/health (python3 http.server) on the port of EdgeDigits:Http:Url in $EDGEDIGITS_CONFIG (and, like the
/// device, wants EdgeDigits:Http:Token as a Bearer token when that is set), answering with its
/// marker so a test can tell which release is serving — or, for a broken release, exits at once.
/// </summary>
internal static class FixtureRelease
{
    public static string Create(string dir, string marker, bool healthy = true, int waitForPeers = 0)
    {
        Directory.CreateDirectory(dir);
        var peers = waitForPeers > 0
            // Parallelism proof: each board's app waits until N boards have started their app,
            // so a deploy.sh that handled hosts one after another could never get the first healthy.
            ? $"mkdir -p \"$EDGEDIGITS_TEST_PEERS\"; touch \"$EDGEDIGITS_TEST_PEERS/$EDGEDIGITS_TEST_BOARD\"\n" +
              $"until [ \"$(ls \"$EDGEDIGITS_TEST_PEERS\" | wc -l)\" -ge {waitForPeers} ]; do sleep 0.1; done\n"
            : "";
        var body = healthy
            ? $$"""
              #!/bin/bash
              # Fixture device app (test stand-in for EdgeDigits.Device): serves /api/health.
              {{peers}}port=$(sed -n 's#.*"Url"[[:space:]]*:[[:space:]]*"http://[^"/]*:\([0-9]*\).*#\1#p' "$EDGEDIGITS_CONFIG" | head -n1)
              token=$(sed -n 's#.*"Token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*#\1#p' "$EDGEDIGITS_CONFIG" | head -n1)
              exec /usr/bin/python3 -c '
              import http.server, sys
              class H(http.server.BaseHTTPRequestHandler):
                  def do_GET(self):
                      if sys.argv[4] and self.headers.get("Authorization") != "Bearer " + sys.argv[4]:
                          self.send_response(401); self.end_headers(); return
                      ok = self.path == "/api/health"
                      body = ("{\"status\":\"healthy\",\"release\":\"%s\",\"profile\":\"%s\"}" % (sys.argv[2], sys.argv[3])).encode()
                      self.send_response(200 if ok else 404); self.end_headers(); self.wfile.write(body if ok else b"")
                  def log_message(self, *a): pass
              http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
              ' "${port:-5080}" "{{marker}}" "$2" "$token"
              """
            : """
              #!/bin/bash
              # Fixture of a broken release: the app dies at startup, so /api/health never answers.
              echo "EdgeDigits.Device: cannot load model" >&2
              exit 1
              """;
        var exe = Path.Combine(dir, "EdgeDigits.Device");
        File.WriteAllText(exe, body.Replace("\r", "") + "\n");
        File.SetUnixFileMode(exe, (UnixFileMode)0b111_101_101);
        // The release's default config (the board's own config overrides it).
        File.WriteAllText(Path.Combine(dir, "appsettings.json"), "{ \"EdgeDigits\": { \"Http\": { \"Url\": \"http://127.0.0.1:5080\" } } }\n");
        File.WriteAllText(Path.Combine(dir, "marker.txt"), marker + "\n");
        var payload = new byte[64 * 1024];
        new Random(marker.Sum(c => c)).NextBytes(payload);
        Directory.CreateDirectory(Path.Combine(dir, "models"));
        File.WriteAllBytes(Path.Combine(dir, "models", "payload.bin"), payload);
        return dir;
    }
}
