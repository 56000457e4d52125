#!/bin/sh
# Run this repository's `make test` (or another command) in a fresh copy of the repository inside a
# Debian root made with debootstrap: how CI runs the suite on Debian 13 "trixie" (QGIS 3.40) from a
# Debian 12 machine. Needs root (CI runs as root) and reaches only Debian's packages and PyPI.
#
#   scripts/debian_root.sh [SUITE [COMMAND ...]]      SUITE: trixie (default), testing, bookworm, ...
#   scripts/debian_root.sh trixie make demo
#
# The base root, $CSD_ROOT_CACHE/SUITE (default /var/cache/carbon-sink-diagnostics/SUITE, outside the
# repository), is made the first time with `debootstrap --variant=minbase` (plus make and
# ca-certificates) from the mirror of this machine's apt sources, and reused after: it keeps what
# scripts/setup.sh installed in it (QGIS and the Python packages from apt, pip's download cache), so a
# second run skips those downloads. CSD_ROOT_FRESH=1 makes it again from nothing.
#
# Each run copies this machine's CA certificates, /etc/pip.conf and apt's release-file checks into the
# root, then copies the repository (a clone of HEAD with the working tree's files over it; never .venv,
# build or other ignored files) to /opt/carbon-sink-diagnostics in the root and runs the command there as
# root, with a clean environment, in private mount and PID namespaces: /proc, /sys, /dev and /tmp are
# mounted inside those namespaces only, so they are gone when the command ends, however it ends.
set -eu
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" # debootstrap and chroot live there
here=$(cd "$(dirname "$0")/.." && pwd)
suite=${1:-trixie}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- make test
cache=${CSD_ROOT_CACHE:-/var/cache/carbon-sink-diagnostics}
root="$cache/$suite"
dest=/opt/carbon-sink-diagnostics

say() { echo "== [$suite root] $*"; }
if [ "$(id -u)" != 0 ]; then
    exec sudo -E "$0" "$suite" "$@"
fi
for tool in debootstrap unshare chroot git flock; do
    command -v "$tool" >/dev/null 2>&1 || missing_tools="${missing_tools:-} $tool"
done
if [ -n "${missing_tools:-}" ]; then
    say "installing debootstrap"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap util-linux git >/dev/null
fi

# The mirror of this machine's apt sources (deb822 or one-line format), else Debian's own.
sources=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true)
uris=$(printf '%s\n' "$sources" | sed -n -e 's/^URIs:[[:space:]]*//p' -e 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\2/p' | tr ' ' '\n')
mirror=$(printf '%s\n' "$uris" | grep -E '/debian/?$' | head -n 1)
security=$(printf '%s\n' "$uris" | grep -E '/debian-security/?$' | head -n 1)
mirror=${CSD_DEBIAN_MIRROR:-${mirror:-http://deb.debian.org/debian}}
security=${security:-${mirror%/debian}/debian-security}

mkdir -p "$cache"
exec 9>"$cache/$suite.lock"
flock 9 # one run at a time per root

if [ "${CSD_ROOT_FRESH:-0}" = 1 ] || [ ! -f "$root/.csd-base" ]; then
    say "making the base root $root from $mirror (debootstrap, minbase)"
    rm -rf "$root" "$root.partial"
    debootstrap --variant=minbase --include=ca-certificates,make "$suite" "$root.partial" "$mirror" \
        >"$cache/$suite.debootstrap.log" 2>&1 || {
        tail -n 30 "$cache/$suite.debootstrap.log" >&2
        say "debootstrap failed; its log: $cache/$suite.debootstrap.log" >&2
        exit 1
    }
    case $suite in
    testing | unstable | sid) extra="" ;;
    *) extra="deb $mirror $suite-updates main
deb $security $suite-security main" ;;
    esac
    printf 'deb %s %s main\n%s\n' "$mirror" "$suite" "$extra" >"$root.partial/etc/apt/sources.list"
    printf '#!/bin/sh\nexit 101\n' >"$root.partial/usr/sbin/policy-rc.d" # no services start in the root
    chmod 755 "$root.partial/usr/sbin/policy-rc.d"
    mv "$root.partial" "$root"
    date -u +%FT%TZ >"$root/.csd-base"
fi

# This machine's CA certificates, pip configuration and name resolution, every run.
mkdir -p "$root/usr/local/share/ca-certificates"
cp /usr/local/share/ca-certificates/* "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
[ -f /etc/pip.conf ] && cp /etc/pip.conf "$root/etc/pip.conf"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# ... and the machine's apt settings for its mirror's release files (a mirror that serves a fixed snapshot
# is used with Check-Valid-Until "false"; Debian testing's release file would otherwise count as expired).
apt-config dump 2>/dev/null | grep -E '^Acquire::Check-(Valid-Until|Date) ' >"$root/etc/apt/apt.conf.d/99csd-host" || true

# A clean copy of the repository: HEAD, with the working tree's (tracked and untracked, not ignored)
# files over it, so an uncommitted change is tested too; never .venv, build, dist or demo output.
rm -rf "$root$dest"
git clone -q --no-checkout "$here" "$root$dest"
git -C "$root$dest" checkout -q --detach "$(git -C "$here" rev-parse HEAD)"
(cd "$here" && git ls-files -z --cached --others --exclude-standard |
    tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$root$dest"

say "running '$*' in $dest"
exec unshare --mount --pid --fork --propagation private /bin/sh -c '
set -e
root=$1 dest=$2
shift 2
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
chroot "$root" update-ca-certificates >/dev/null 2>&1
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin dpkg --configure -a >/dev/null 2>&1 || true # an install cut short by an earlier run
# A clean environment, but for the OpenBLAS settings some machines need (older OpenBLAS builds compute
# wrong results or crash on some processors without them).
set -- PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    TERM=dumb CI="${CI:-}" DEBIAN_FRONTEND=noninteractive \
    ${OPENBLAS_CORETYPE:+OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE} \
    ${OPENBLAS_L2_SIZE:+OPENBLAS_L2_SIZE=$OPENBLAS_L2_SIZE} \
    /bin/sh -c "cd \"$dest\" && exec \"\$@\"" sh "$@"
exec chroot "$root" /usr/bin/env -i "$@"
' sh "$root" "$dest" "$@"
