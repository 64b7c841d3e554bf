#!/usr/bin/env bash
# deploy.sh — publish EdgeDigits.Device and install it on one or many boards over SSH.
# Run `./deploy.sh --help` for everything; the help text below is the documentation.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: deploy.sh [options] HOST...

Publishes src/EdgeDigits.Device self-contained and installs it on every HOST over SSH.
HOST is user@host[:port] (user defaults to the ssh default, port to 22).

Per host, in this order (the board keeps running its previous release on any failure):
  1. ssh check: reachable, key accepted, `uname -m` matches --rid, enough free disk
  2. rsync the release to PREFIX/releases/VERSION.partial, verify its SHA256SUMS manifest
     on the board, then rename it to PREFIX/releases/VERSION (a half-copied release is
     never switched to)
  3. switch PREFIX/current atomically (ln -s + mv -T), install/refresh the systemd unit
     from hardware/edgedigits.service, seed an empty CONFIG/appsettings.json override only if
     the board has none (a device's own edited config is never overwritten), systemctl
     restart edgedigits
  4. wait for GET http://127.0.0.1:PORT/api/health (curl on the board over ssh; PORT from
     EdgeDigits:Http:Url in the board's config, default 5080); if it is not healthy within --health-timeout,
     switch current back to the previous release and restart it
A host already running VERSION (confirmed healthy after its own restart, PREFIX/.confirmed)
and healthy now is left alone (deploy is idempotent). A failed restart or health check rolls
back to the last confirmed release.
Hosts run in parallel; a summary table follows.

Options:
  --rid RID            linux-arm64 (default; 64-bit Raspberry Pi OS) or linux-x64.
                       linux-arm (32-bit Pi OS) is refused: ONNX Runtime ships no 32-bit
                       ARM natives — install the 64-bit Raspberry Pi OS instead.
  --profile NAME       device profile (Kiosk, Meter, Sorter, Simulator); written to
                       CONFIG/edgedigits.env. Default: keep the board's, else Kiosk.
  --identity KEY       ssh private key file (ssh -i KEY, IdentitiesOnly).
  --ssh-opt OPT        extra ssh -o option, repeatable (e.g. UserKnownHostsFile=FILE).
  --jobs N             hosts deployed at the same time (default: all).
  --publish-dir DIR    install this existing publish folder instead of running dotnet publish.
  --full               publish the untrimmed multi-file app (about 158 MB for linux-arm64) instead
                       of the default small board build (trimmed, one compressed executable beside
                       ONNX Runtime and SkiaSharp: under 50 MB; set in EdgeDigits.Device.csproj).
  --version V          release name (default: git describe + content hash of the publish).
  --root DIR           board root prefixing every path on the board (default /). Tests point
                       it at a temporary folder that stands in for the board.
  --prefix DIR         install prefix on the board (default ROOT/opt/edgedigits).
  --config-dir DIR     config folder on the board (default ROOT/etc/edgedigits).
  --unit-dir DIR       systemd unit folder on the board (default ROOT/etc/systemd/system).
  --data-dir DIR       the app's state and working folder (default ROOT/var/lib/edgedigits).
  --health-timeout S   seconds to wait for /api/health (default 60).
  --keep N             releases kept on the board besides current and previous (default 3).
  --dry-run            check hosts and print what would happen; change nothing.
  -h, --help           this text.

Exit codes: 0 every host healthy on the new release (or already on it), 1 a host failed
(see the table; that board still runs its previous release), 2 bad command line,
3 publish failed.

Examples:
  ./deploy.sh pi@kiosk-1 pi@kiosk-2:2222
  ./deploy.sh --profile meter --identity ~/.ssh/fleet pi@meter-{1..8}
  ./deploy.sh --rid linux-x64 --dry-run admin@nuc
EOF
}

die() { echo "deploy.sh: $*" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rid=linux-arm64 profile="" identity="" jobs=0 publish_dir="" full=0 version="" root="/"
prefix="" config_dir="" unit_dir="" data_dir="" health_timeout=60 keep=3 dry_run=0
ssh_opts=() hosts=()

while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --rid) rid=${2:?--rid needs a value}; shift 2 ;;
    --profile) profile=${2:?--profile needs a value}; shift 2 ;;
    --identity) identity=${2:?--identity needs a key file}; shift 2 ;;
    --ssh-opt) ssh_opts+=(-o "${2:?--ssh-opt needs a value}"); shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
    --publish-dir) publish_dir=${2:?--publish-dir needs a folder}; shift 2 ;;
    --full) full=1; shift ;;
    --version) version=${2:?--version needs a value}; shift 2 ;;
    --root) root=${2:?--root needs a folder}; shift 2 ;;
    --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
    --config-dir) config_dir=${2:?--config-dir needs a folder}; shift 2 ;;
    --unit-dir) unit_dir=${2:?--unit-dir needs a folder}; shift 2 ;;
    --data-dir) data_dir=${2:?--data-dir needs a folder}; shift 2 ;;
    --health-timeout) health_timeout=${2:?--health-timeout needs seconds}; shift 2 ;;
    --keep) keep=${2:?--keep needs a number}; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    --) shift; hosts+=("$@"); break ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) hosts+=("$1"); shift ;;
  esac
done

case "$rid" in
  linux-arm64|linux-x64) ;;
  linux-arm) die "--rid linux-arm: ONNX Runtime has no 32-bit ARM natives; install the 64-bit Raspberry Pi OS and deploy with --rid linux-arm64" ;;
  *) die "--rid '$rid' is not supported (use linux-arm64 or linux-x64)" ;;
esac
[ ${#hosts[@]} -gt 0 ] || die "no HOST given (user@host[:port]; see --help)"
[[ "$jobs" =~ ^[0-9]+$ ]] || die "--jobs '$jobs' is not a number"
[[ "$health_timeout" =~ ^[0-9]+$ ]] && [ "$health_timeout" -gt 0 ] || die "--health-timeout '$health_timeout' is not a positive number of seconds"
[[ "$keep" =~ ^[0-9]+$ ]] || die "--keep '$keep' is not a number"
[ -z "$identity" ] || [ -r "$identity" ] || die "--identity '$identity': no such readable key file"
[ -z "$profile" ] || [[ "$profile" =~ ^[A-Za-z0-9_.-]+$ ]] || die "--profile '$profile': use letters, digits, '-', '_', '.'"
[[ "$root" == /* ]] || die "--root '$root' must be an absolute path on the board"
root=${root%/}
prefix=${prefix:-$root/opt/edgedigits}
config_dir=${config_dir:-$root/etc/edgedigits}
unit_dir=${unit_dir:-$root/etc/systemd/system}
data_dir=${data_dir:-$root/var/lib/edgedigits}
for h in "${hosts[@]}"; do
  [[ "$h" =~ ^([A-Za-z0-9._-]+@)?[A-Za-z0-9._-]+(:[0-9]+)?$ ]] || die "host '$h' is not user@host[:port]"
done
unit_src="$here/hardware/edgedigits.service"
[ -r "$unit_src" ] || die "$unit_src is missing (the systemd unit to install)"
[ "$jobs" -gt 0 ] || jobs=${#hosts[@]}

case "$rid" in linux-arm64) want_arch=aarch64 ;; linux-x64) want_arch=x86_64 ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/edgedigits-deploy.XXXXXX")
cleanup() {
  # Close the per-host ssh master connections before removing their sockets.
  for s in "$work"/ssh-*; do [ -S "$s" ] && ssh -o ControlPath="$s" -O exit x >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

t0=$(date +%s)
stamp() { echo "[$(( $(date +%s) - t0 ))s] $*"; }

# --- 1. the release: publish (or reuse), manifest, version -----------------------------------
if [ -z "$publish_dir" ]; then
  publish_dir="$work/publish"
  size_arg=()
  [ "$full" = 1 ] && size_arg=(-p:BoardSmallBuild=false)
  stamp "publishing EdgeDigits.Device for $rid (self-contained) ..."
  if ! dotnet publish "$here/src/EdgeDigits.Device" -c Release -r "$rid" --self-contained \
        "${size_arg[@]}" -p:DebugType=none -o "$publish_dir" >"$work/publish.log" 2>&1; then
    tail -n 30 "$work/publish.log" >&2
    echo "deploy.sh: publish failed for $rid (log above); no host was touched" >&2
    exit 3
  fi
else
  [ -d "$publish_dir" ] || { echo "deploy.sh: --publish-dir '$publish_dir' is not a folder" >&2; exit 3; }
  publish_dir=$(cd "$publish_dir" && pwd)
fi
[ -x "$publish_dir/EdgeDigits.Device" ] || { echo "deploy.sh: $publish_dir has no executable EdgeDigits.Device (not a Device publish?)" >&2; exit 3; }

# The manifest lists every file of the release; the board checks it before the switch.
( cd "$publish_dir" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum ) >"$work/SHA256SUMS"
content=$(sha256sum <"$work/SHA256SUMS" | cut -c1-12)
if [ -z "$version" ]; then
  desc=$(git -C "$here" describe --tags --always 2>/dev/null || echo local)
  version="$desc-$content"
fi
[[ "$version" =~ ^[A-Za-z0-9._+-]+$ ]] || die "version '$version': use letters, digits, '.', '_', '+', '-'"
size_kb=$(du -sk "$publish_dir" | cut -f1)
unit_text=$(sed -e "s#/opt/edgedigits#$prefix#g" -e "s#/etc/edgedigits#$config_dir#g" -e "s#/var/lib/edgedigits#$data_dir#g" "$unit_src")
stamp "release $version ($((size_kb / 1024)) MB, $rid) -> ${#hosts[@]} host(s)"

# --- 2. the board side: functions shipped over ssh with `declare -f` ------------------------
# Each prints key=value lines the PC side parses; they run as root or through sudo -n.

board_probe() {  # prefix config_dir
  echo "arch=$(uname -m)"
  echo "uid=$(id -u)"
  local d=$1; while [ ! -d "$d" ]; do d=$(dirname "$d"); done
  echo "free_kb=$(df -Pk "$d" | awk 'NR==2 {print $4}')"
  echo "current=$(basename "$(readlink "$1/current" 2>/dev/null)" 2>/dev/null)"
  echo "confirmed=$(cat "$1/.confirmed" 2>/dev/null)"
  echo "rsync=$(command -v rsync >/dev/null && echo yes || echo no)"
  echo "port=$(board_port "$2" "$1")"
}

board_port() {  # config_dir prefix -> the HTTP port the app listens on (EdgeDigits:Http:Url)
  local f p=""
  for f in "$1/appsettings.json" "$2/current/appsettings.json"; do
    [ -r "$f" ] || continue
    p=$(sed -n 's#.*"Url"[[:space:]]*:[[:space:]]*"https\{0,1\}://[^"/]*:\([0-9][0-9]*\).*#\1#p' "$f" | head -n1)
    [ -z "$p" ] || break
  done
  echo "${p:-5080}"
}

board_health() {  # port timeout_s config_dir -> 0 when /api/health answers 2xx
  local end=$(( $(date +%s) + $2 )) token="" auth=()
  # A board listening beyond loopback has EdgeDigits:Http:Token set; it is read here, on the board.
  [ -r "$3/appsettings.json" ] && token=$(sed -n 's#.*"Token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*#\1#p' "$3/appsettings.json" | head -n1)
  [ -z "$token" ] || auth=(-H "Authorization: Bearer $token")
  while :; do
    if curl -fsS -m 3 "${auth[@]}" -o /dev/null "http://127.0.0.1:$1/api/health" 2>/dev/null; then return 0; fi
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.5
  done
}

board_unit_sum() {  # unit_dir
  sha256sum "$1/edgedigits.service" 2>/dev/null | cut -c1-64
}

board_install() {  # prefix config_dir unit_dir version profile data_dir
  set -e
  local prefix=$1 cfg=$2 units=$3 v=$4 profile=$5 data=$6 rel=$1/releases
  cd "$rel/$v.partial"
  # Only a release whose every file matches the PC's manifest is made visible.
  if ! sha256sum --quiet -c SHA256SUMS >"$rel/$v.check" 2>&1; then
    echo "error=checksum mismatch in $rel/$v.partial: $(head -n2 "$rel/$v.check" | tr '\n' ' ')"; return 1
  fi
  rm -f "$rel/$v.check"; cd /
  # Same version already on the board (an earlier, interrupted deploy): it is the same content, keep it
  # in place so the current link never dangles.
  if [ -d "$rel/$v" ]; then rm -rf "$rel/$v.partial"; else mv "$rel/$v.partial" "$rel/$v"; fi
  local prev; prev=$(basename "$(readlink "$prefix/current" 2>/dev/null)" 2>/dev/null || true)
  echo "previous=$prev"
  mkdir -p "$cfg" "$units/multi-user.target.wants"
  # The board's own config wins: seed an empty override only when missing.
  if [ ! -e "$cfg/appsettings.json" ]; then
    printf '%s\n' "// This board's own settings, layered over the release's appsettings.json and appsettings.<Profile>.json." \
      "// deploy.sh and edgedigits flash never overwrite this file. Example: { \"EdgeDigits\": { \"DeviceId\": \"kiosk-3\" } }" \
      '{ "EdgeDigits": { } }' >"$cfg/appsettings.json.tmp" && mv "$cfg/appsettings.json.tmp" "$cfg/appsettings.json"
  fi
  mkdir -p "$data"
  if [ -n "$profile" ] || [ ! -e "$cfg/edgedigits.env" ]; then
    printf 'EDGEDIGITS_PROFILE=%s\n' "${profile:-Kiosk}" >"$cfg/edgedigits.env.tmp" && mv "$cfg/edgedigits.env.tmp" "$cfg/edgedigits.env"
  fi
  cat >"$units/edgedigits.service.tmp" && mv "$units/edgedigits.service.tmp" "$units/edgedigits.service"
  ln -sfn ../edgedigits.service "$units/multi-user.target.wants/edgedigits.service"
  # Atomic switch: rename(2) of a fresh symlink over the old one.
  ln -sfn "releases/$v" "$prefix/current.new" && mv -T "$prefix/current.new" "$prefix/current"
  systemctl daemon-reload >/dev/null 2>&1 || true
  # Type=notify: restart returns once the new process said READY=1, and fails if it died first.
  local out; if ! out=$(systemctl restart edgedigits 2>&1); then echo "restart_failed=$(echo "$out" | tail -n1)"; fi
}

board_last_words() {  # -> the failed app's last log line (journald), for the summary
  journalctl -u edgedigits -n 30 --no-pager -o cat 2>/dev/null \
    | grep -v -E '^(edgedigits\.service:|Started |Stopped |Starting |Stopping |Scheduled restart|$)' | tail -n1
}

board_rollback() {  # prefix previous
  set -e
  if [ -z "$2" ] || [ ! -d "$1/releases/$2" ]; then echo "rollback=none"; systemctl stop edgedigits || true; return 0; fi
  ln -sfn "releases/$2" "$1/current.new" && mv -T "$1/current.new" "$1/current"
  local out; if ! out=$(systemctl restart edgedigits 2>&1); then echo "rollback=$2 (restart failed: $(echo "$out" | tail -n1))"; return 1; fi
  echo "rollback=$2"
}

board_confirm() {  # prefix version: the release that last passed a health check after its restart
  echo "$2" >"$1/.confirmed.tmp" && mv "$1/.confirmed.tmp" "$1/.confirmed"
}

board_prune() {  # prefix keep
  local cur prev n=0 d; cur=$(basename "$(readlink "$1/current")")
  prev=${3:-}
  for d in $(ls -1t "$1/releases" 2>/dev/null); do
    case "$d" in *.partial|*.check|"$cur"|"$prev") continue ;; esac
    n=$((n + 1)); [ "$n" -le "$2" ] || rm -rf "${1:?}/releases/$d"
  done
}

board_fns=$(declare -f board_probe board_port board_health board_unit_sum board_install board_last_words board_rollback board_confirm board_prune)

# --- 3. per host ------------------------------------------------------------------------------
# ssh_cmd host port -> the ssh argv (with a shared master connection per host for speed)
host_ssh() {  # target port ctl
  local a=(ssh -p "$2" -o BatchMode=yes -o ConnectTimeout=10 -o StrictHostKeyChecking=accept-new
           -o ControlMaster=auto -o ControlPath="$3" -o ControlPersist=120 "${ssh_opts[@]}")
  [ -z "$identity" ] || a+=(-i "$identity" -o IdentitiesOnly=yes)
  printf '%q ' "${a[@]}"
}

# Turns ssh's stderr into one clear reason.
ssh_reason() {  # host stderr-file
  local e; e=$(cat "$2")
  case "$e" in
    *"Could not resolve hostname"*|*"Name or service not known"*) echo "unknown host $1 (name does not resolve)" ;;
    *"Connection refused"*) echo "host $1 unreachable: connection refused (sshd not running or wrong port)" ;;
    *"timed out"*|*"No route to host"*|*"Network is unreachable"*) echo "host $1 unreachable: $(echo "$e" | grep -m1 -oE '(Connection timed out|No route to host|Network is unreachable|timed out)')" ;;
    *"Permission denied"*) echo "host $1 refused the key${identity:+ $identity} (Permission denied (publickey)); add it to authorized_keys or pass --identity" ;;
    *"Host key verification failed"*|*"REMOTE HOST IDENTIFICATION HAS CHANGED"*) echo "host $1: host key verification failed (known_hosts mismatch)" ;;
    *) echo "host $1: ssh failed: $(echo "$e" | grep -v '^Warning: Permanently added' | tail -n1)" ;;
  esac
}

deploy_host() {  # spec out-file -> writes status|release running on the board now|seconds|note
  local spec=$1 out=$2 start; start=$(date +%s)
  local target=${spec%:*} port=22
  [[ "$spec" == *:* ]] && port=${spec##*:}
  local ctl; ctl="$work/ssh-$(echo "$spec" | tr -c 'A-Za-z0-9' _)"
  local ssh; ssh=$(host_ssh "$target" "$port" "$ctl")
  local log="$out.log" err="$out.err"
  result() { echo "$1|$2|$(( $(date +%s) - start ))|$3" >"$out"; }
  run() { eval "$ssh" "$(printf '%q' "$target")" '"bash -s"' 2>"$err"; }
  run_root() { eval "$ssh" "$(printf '%q' "$target")" "\"$sudo bash -s\"" 2>"$err"; }
  say() { echo "  $spec: $*" | tee -a "$log"; }

  local probe
  if ! probe=$(printf '%s\nboard_probe %q %q\n' "$board_fns" "$prefix" "$config_dir" | run); then
    result FAILED "-" "$(ssh_reason "$spec" "$err")"; return 1
  fi
  local arch uid free_kb current rsync_ok hport confirmed
  arch=$(sed -n 's/^arch=//p' <<<"$probe"); uid=$(sed -n 's/^uid=//p' <<<"$probe")
  free_kb=$(sed -n 's/^free_kb=//p' <<<"$probe"); current=$(sed -n 's/^current=//p' <<<"$probe")
  rsync_ok=$(sed -n 's/^rsync=//p' <<<"$probe"); hport=$(sed -n 's/^port=//p' <<<"$probe")
  confirmed=$(sed -n 's/^confirmed=//p' <<<"$probe")
  local sudo=""; [ "$uid" = 0 ] || sudo="sudo -n"
  if [ "$arch" != "$want_arch" ]; then
    case "$arch" in
      armv7l|armv6l|armhf) result FAILED "${current:--}" "wrong architecture: $spec runs 32-bit ARM ($arch); ONNX Runtime has no 32-bit ARM build — install the 64-bit Raspberry Pi OS" ;;
      *) result FAILED "${current:--}" "wrong architecture: $spec is $arch but the release is $rid (needs $want_arch); use --rid" ;;
    esac
    return 1
  fi
  say "reachable: $arch, ${free_kb} KB free, current=${current:-none}, health port $hport"

  # Unchanged only when current is this version, it was confirmed healthy after its own restart
  # (an interrupted deploy can leave current switched while the old process still answers), the
  # unit is the same and it answers now.
  if [ "$current" = "$version" ] && [ "$confirmed" = "$version" ]; then
    local usum; usum=$(printf '%s\nboard_unit_sum %q\n' "$board_fns" "$unit_dir" | run || true)
    if [ "$usum" = "$(printf '%s\n' "$unit_text" | sha256sum | cut -c1-64)" ] &&
       printf '%s\nboard_health %q 5 %q\n' "$board_fns" "$hport" "$config_dir" | run_root; then
      result UNCHANGED "$current" "already running $version and healthy"; return 0
    fi
  fi
  if [ "$free_kb" -lt $(( size_kb + size_kb / 10 + 1024 )) ]; then
    result FAILED "${current:--}" "disk full: $spec has $((free_kb / 1024)) MB free under $prefix, the release needs $((size_kb / 1024)) MB (+10%)"; return 1
  fi
  if [ "$dry_run" = 1 ]; then
    result DRY-RUN "${current:--}" "would copy $((size_kb / 1024)) MB to $prefix/releases/$version, switch current, restart, wait for :$hport/api/health"; return 0
  fi

  # Copy into VERSION.partial; --link-dest hard-links files unchanged since the current release.
  # --checksum: publish outputs of equal size and mtime can still differ, so compare contents.
  local dest="$prefix/releases/$version.partial/"
  if ! printf 'mkdir -p %q\n' "$dest" | run_root; then
    result FAILED "${current:--}" "cannot create $dest on $spec: $(tail -n1 "$err")"; return 1
  fi
  say "copying release ..."
  if [ "$rsync_ok" = yes ]; then
    local link=(); [ -n "$current" ] && link=(--link-dest="$prefix/releases/$current/")
    if ! rsync -a --checksum --delete "${link[@]}" ${sudo:+--rsync-path="$sudo rsync"} -e "$ssh" \
          "$publish_dir/" "$work/SHA256SUMS" "$target:$dest" >>"$log" 2>"$err"; then
      result FAILED "${current:--}" "copy to $spec failed: $(tail -n1 "$err")"; return 1
    fi
  else
    if ! tar -C "$publish_dir" -cf - . -C "$work" SHA256SUMS |
         eval "$ssh" "$(printf '%q' "$target")" "$(printf '%q' "$sudo tar -C $dest -xf -")" 2>"$err"; then
      result FAILED "${current:--}" "copy to $spec failed: $(tail -n1 "$err")"; return 1
    fi
  fi

  say "verifying and switching ..."
  local inst
  inst=$( { printf '%s\n' "$board_fns"
             printf 'board_install %q %q %q %q %q %q <<'"'"'EDGEDIGITS_UNIT'"'"'\n' "$prefix" "$config_dir" "$unit_dir" "$version" "$profile" "$data_dir"
             printf '%s\nEDGEDIGITS_UNIT\n' "$unit_text"; } | run_root ) || true
  echo "$inst" >>"$log"
  local prev; prev=$(sed -n 's/^previous=//p' <<<"$inst")
  if grep -q '^error=' <<<"$inst"; then
    result FAILED "${current:--}" "$(sed -n 's/^error=//p' <<<"$inst" | head -n1); release not switched"; return 1
  fi
  if ! grep -q '^previous=' <<<"$inst"; then
    result FAILED "${current:--}" "install on $spec failed: $(tail -n1 "$err")"; return 1
  fi
  local th why; th=$(date +%s)
  local restart_failed; restart_failed=$(sed -n 's/^restart_failed=//p' <<<"$inst")
  if [ -n "$restart_failed" ]; then
    # The old process is already stopped: a health answer now could only be stale, so do not wait for one.
    why="systemctl restart failed: $restart_failed"
  else
    say "restarted; waiting up to ${health_timeout}s for :$hport/api/health ..."
    if printf '%s\nboard_health %q %q %q\n' "$board_fns" "$hport" "$health_timeout" "$config_dir" | run_root; then
      printf '%s\nboard_confirm %q %q\nboard_prune %q %q %q\n' "$board_fns" "$prefix" "$version" "$prefix" "$keep" "$prev" | run_root || true
      result DEPLOYED "$version" "healthy $(( $(date +%s) - th ))s after restart (was ${prev:-none})"; return 0
    fi
    why="not healthy within ${health_timeout}s"
  fi
  # Roll back to the last release confirmed healthy, else to what current pointed at before.
  local target=$prev
  [ -n "$confirmed" ] && [ "$confirmed" != "$version" ] && target=$confirmed
  [ "$target" = "$version" ] && target=""
  prev=$target
  local said; said=$(printf '%s\nboard_last_words\n' "$board_fns" | run_root || true)
  said=${said//|/\/}
  why="$why${said:+ (app: $said)}"
  say "$version $why; rolling back to ${prev:-nothing}"
  local rb rb_ok=1; rb=$(printf '%s\nboard_rollback %q %q\n' "$board_fns" "$prefix" "$prev" | run_root) || rb_ok=0
  if [ -n "$prev" ] && [ "$rb_ok" = 1 ] && printf '%s\nboard_health %q %q %q\n' "$board_fns" "$hport" "$health_timeout" "$config_dir" | run_root; then
    printf '%s\nboard_confirm %q %q\n' "$board_fns" "$prefix" "$prev" | run_root || true
    result ROLLED-BACK "$prev" "$version $why; rolled back to $prev (healthy)"
  else
    result FAILED "${prev:--}" "$version $why; rollback: $(sed -n 's/^rollback=//p' <<<"$rb") ${prev:+(previous not healthy either)}"
  fi
  return 1
}

# --- 4. run hosts in parallel, then the summary ----------------------------------------------
i=0; running=0
for h in "${hosts[@]}"; do
  i=$((i + 1))
  ( deploy_host "$h" "$work/result-$i" ) &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait || true

fail=0
printf '\n%-28s %-12s %-32s %6s  %s\n' HOST RESULT RUNNING TIME NOTE
i=0
for h in "${hosts[@]}"; do
  i=$((i + 1))
  if [ -s "$work/result-$i" ]; then
    IFS='|' read -r st running secs note <"$work/result-$i"
  else
    st=FAILED running=? secs=- note="deploy aborted: $(tail -n1 "$work/result-$i.err" 2>/dev/null)"
  fi
  case "$st" in DEPLOYED|UNCHANGED|DRY-RUN) ;; *) fail=1 ;; esac
  printf '%-28s %-12s %-32s %5ss  %s\n' "$h" "$st" "${running:--}" "$secs" "$note"
done
stamp "done"
exit "$fail"
