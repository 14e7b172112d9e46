#!/usr/bin/env bash
# A batch as a Slurm job array (issue 9 §6, docs/batch.md "Beyond one
# machine"): the test starts a one-node Slurm cluster on localhost of its
# own (munged with its own key and socket, slurmctld and slurmd as root, a
# slurm.conf, state and spool folders in a temporary folder, free ports),
# submits 12 jobs of the repo's handout as `sbatch --array=0-3 --wait`
# whose tasks run `anpham batch JOBS.xml --shard
# $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`, merges the four manifests
# and checks them as batch_parallel.sh does. Every daemon it started is
# stopped (and waited for) whatever happens, and no process of the run may
# be left. Skipped (77) when Slurm cannot run here: not root, or the Debian
# packages slurm-wlm and munge missing.
#
# Two levels: the outer run makes the folder and runs this script again
# (the inner run: cluster and checks) under `timeout`, so a hung daemon or
# job cannot hang CI. The inner run stops its daemons on its way out and
# waits for them (it is their parent); the outer one then stops, by their
# PID files, any the inner run could not (killed at the time limit), ends
# what the run left, and checks that no process of it remains.
# Usage: batch_slurm.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: batch_slurm.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: batch_slurm.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"
. "$src/tests/e2e/batch_shards.bash"
export LC_ALL=C.UTF-8

# Seconds the inner run may take (it needs about 20), and each step in it.
whole_limit=240
step_limit=90

# 'run_processes DIR' - PIDs of the live processes of the run in DIR
# (zombies aside; this shell and its children aside): those whose
# environment holds AP_SLURM_TEST=DIR (every process the inner run
# started, and what they started), or whose command line, working folder
# or open files name DIR (a slurmstepd: its log and spool are there).
run_processes() {
  AP_RUN_DIR=$1 AP_SELF=$$ python3 - <<'EOF'
import os
d, self_pid, me = os.environ["AP_RUN_DIR"], os.environ["AP_SELF"], str(os.getpid())
marker = ("AP_SLURM_TEST=" + d).encode()
for pid in filter(str.isdigit, os.listdir("/proc")):
    if pid in (self_pid, me, str(os.getppid())):
        continue
    try:
        with open("/proc/%s/stat" % pid) as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                continue
        with open("/proc/%s/environ" % pid, "rb") as f:
            ours = marker + b"\0" in f.read() + b"\0"
        with open("/proc/%s/cmdline" % pid, "rb") as f:
            ours = ours or d.encode() in f.read()
        links = [os.readlink("/proc/%s/cwd" % pid)]
        for fd in os.listdir("/proc/%s/fd" % pid):
            try:
                links.append(os.readlink("/proc/%s/fd/%s" % (pid, fd)))
            except OSError:
                pass
        ours = ours or any(l == d or l.startswith(d + "/") for l in links)
    except (OSError, IndexError):
        continue
    if ours:
        print(pid)
EOF
}

# 'gone PID' - has the process ended (or is only a zombie)?
gone() { [ ! -e "/proc/$1" ] || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]; }

# 'daemons' - the PIDs of the Slurm and munge daemons and job steps on this
# host, zombies included (pgrep -x, one name at a time).
daemons() { local n; for n in slurmctld slurmd slurmstepd munged; do pgrep -x "$n"; done | sort; }

# 'stop PID...' - SIGTERM, up to 15 s to end, then SIGKILL.
stop() {
  local p i
  [ $# -gt 0 ] || return 0
  kill "$@" 2>/dev/null
  for ((i = 0; i < 150; i++)); do
    for p in "$@"; do gone "$p" || break; done
    gone "$p" && return 0
    sleep 0.1
  done
  kill -KILL "$@" 2>/dev/null
  sleep 0.5
}

# ---- The outer run ----------------------------------------------------------
if [ -z "${AP_SLURM_TEST:-}" ]; then
  [ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
  if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: not root (the test's own slurmctld, slurmd and munged run as root)"
    exit 77
  fi
  for c in munged mungekey slurmctld slurmd sbatch sinfo python3 timeout; do
    command -v "$c" >/dev/null || { echo "SKIP: $c missing (Debian slurm-wlm and munge: tools/install-deps.sh)"; exit 77; }
  done
  before=$(daemons)
  t=$(mktemp -d)
  chmod 755 "$t" # the job's user reads the batch file (root here, but as a real cluster)
  AP_SLURM_TEST=$t timeout -k 60 "$whole_limit" bash "$0" "$src" "$build"
  status=$?
  [ "$status" -eq 124 ] || [ "$status" -eq 137 ] && echo "FAIL - the run took more than $whole_limit s: stopped"
  # The daemons the inner run left, by their PID files (a PID still of
  # this run): slurmd (and its jobs) first, munged last.
  for d in slurmd slurmctld; do
    [ -f "$t/run/$d.pid" ] && run_processes "$t" | grep -qx "$(cat "$t/run/$d.pid")" && stop "$(cat "$t/run/$d.pid")"
  done
  left=$(run_processes "$t" | grep -vx "$(cat "$t/run/munged.pid" 2>/dev/null || echo none)")
  if [ -n "$left" ]; then
    echo "ending what the run left:"
    ps -o pid,args -p "$(echo $left | tr ' ' ,)"
    stop $left
  fi
  [ -f "$t/run/munged.pid" ] && run_processes "$t" | grep -qx "$(cat "$t/run/munged.pid")" && stop "$(cat "$t/run/munged.pid")"
  left=$(run_processes "$t")
  if [ -z "$left" ]; then
    echo "ok   - no process of the run is left (its daemons stopped)"
  else
    echo "FAIL - processes of the run still there:"
    ps -o pid,stat,args -p "$(echo $left | tr ' ' ,)"
    status=1
  fi
  # pgrep: no slurm or munge process that was not there before (a job
  # step's zombie waits for init to reap it: some seconds given).
  for ((i = 0; i < 50; i++)); do
    new=$(comm -13 <(echo "$before") <(daemons) | sed '/^$/d')
    [ -z "$new" ] && break
    sleep 0.1
  done
  if [ -n "$new" ]; then
    # Not ours by the above: zombies, or another run of this test.
    echo "note: slurm or munge processes that were not there before, none of this run:"
    ps -o pid,ppid,stat,args -p "$(echo $new | tr ' ' ,)"
  fi
  if [ "$status" -ne 0 ] && [ -d "$t/log" ]; then
    for f in "$t"/log/*; do echo "--- $f (end)"; tail -n 15 "$f"; done
  fi
  rm -rf "$t"
  exit "$status"
fi

# ---- The inner run: the cluster, the batch, the checks ----------------------
t=$AP_SLURM_TEST
mkdir -p "$t/run" "$t/log" "$t/state" "$t/spool" "$t/key" "$t/sock" "$t/work"
chmod 700 "$t/key" "$t/state" "$t/spool"
chmod 755 "$t/sock"
# On the way out (done, failed, or SIGTERM from `timeout`): stop the
# daemons and wait for them (reaped here, not left to init).
stop_daemons() {
  local d p
  [ -z "$(jobs -p)" ] || kill $(jobs -p | grep -vxf <(cat "$t"/run/*.pid 2>/dev/null)) 2>/dev/null
  for d in slurmd slurmctld munged; do
    [ -f "$t/run/$d.pid" ] || continue
    p=$(cat "$t/run/$d.pid")
    stop "$p"
    wait "$p" 2>/dev/null
  done
}
trap stop_daemons EXIT
exec 3>&1 # the trap's message goes here, not where the interrupted command wrote
trap 'echo "FAIL - stopped by a signal (the time limit?)" >&3; exit 143' TERM INT
# 'bounded COMMAND...' - run COMMAND for at most $step_limit s, in the
# background, so that a signal is acted on at once.
bounded() { timeout "$step_limit" "$@" & wait $!; }
# 'up WHAT COMMAND...' - wait up to $step_limit s for COMMAND to succeed.
up() {
  local what=$1 i
  shift
  for ((i = 0; i < step_limit * 5; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "FAIL - $what: not up after $step_limit s"
  return 1
}
# 'fatal WHAT' - the cluster is not there: no check can run.
fatal() { bad "$1"; finish; exit 1; }

# munged: a key of its own, its own socket; in the foreground (-F) as a
# child of this run, its PID noted for the outer run.
mungekey --create --keyfile="$t/key/munge.key" >"$t/log/mungekey.out" 2>&1 ||
  dd if=/dev/urandom of="$t/key/munge.key" bs=1024 count=1 status=none
chmod 600 "$t/key/munge.key"
socket=$t/sock/munge.socket
munged -F --force --key-file="$t/key/munge.key" --socket="$socket" --pid-file="$t/key/munged.pid" \
  --seed-file="$t/key/munged.seed" --log-file="$t/log/munged.log" >"$t/log/munged.out" 2>&1 &
echo $! >"$t/run/munged.pid"
up "munged" bash -c "munge -S '$socket' -n | unmunge -S '$socket'" || fatal "munged starts"

# Two free TCP ports for slurmctld and slurmd (another run at the same time
# gets others).
read -r ctld_port slurmd_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')

node=$(hostname -s)
cat >"$t/slurm.conf" <<EOF
# A one-node cluster on this host, for tests/e2e/batch_slurm.sh only.
ClusterName=anpham-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$t/state
SlurmdSpoolDir=$t/spool
SlurmctldPidFile=$t/run/slurmctld.daemon.pid
SlurmdPidFile=$t/run/slurmd.daemon.pid
SlurmctldLogFile=$t/log/slurmctld.log
SlurmdLogFile=$t/log/slurmd.log
PlugStackConfig=$t/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=anpham Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
: >"$t/plugstack.conf"
export SLURM_CONF=$t/slurm.conf

slurmctld -D -f "$SLURM_CONF" >"$t/log/slurmctld.out" 2>&1 &
echo $! >"$t/run/slurmctld.pid"
slurmd -D -f "$SLURM_CONF" >"$t/log/slurmd.out" 2>&1 &
echo $! >"$t/run/slurmd.pid"
node_idle() { [ "$(timeout 10 sinfo -h -N -n "$node" -o %T)" = idle ]; }
up "the node" node_idle || fatal "slurmctld and slurmd start, the node is idle"
ok "a one-node Slurm cluster on $node: slurmctld on port $ctld_port, slurmd on $slurmd_port, $(nproc) CPUs"

# The batch as a job array of 4 tasks, each its shard, as docs/batch.md
# shows it; --wait: sbatch returns when every task has ended, its status
# the highest of theirs.
shard_batch "$t"
out=$t/out
cat >"$t/shard.sbatch" <<EOF
#!/bin/bash
#SBATCH --job-name=anpham-shards
#SBATCH --array=0-$((shard_count - 1))
#SBATCH --cpus-per-task=1
#SBATCH --output=$t/work/task-%a.out
echo "task \$SLURM_ARRAY_TASK_ID of \$SLURM_ARRAY_TASK_COUNT on \$SLURMD_NODENAME"
exec "$anpham" batch "$t/jobs.xml" --jobs "\$SLURM_CPUS_PER_TASK" \\
  --shard "\$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT"
EOF
bounded sbatch --wait --chdir="$t/work" "$t/shard.sbatch" >"$t/sbatch.out" 2>&1
status=$?
check "sbatch --array=0-3 --wait: every task exit 0 (sbatch's status $status: $(tr '\n' ' ' <"$t/sbatch.out"))" test "$status" -eq 0
for k in 0 1 2 3; do
  check "task $k ran shard $k/4 on $node: 3 jobs done" \
    bash -c "grep -qx 'task $k of 4 on $node' '$t/work/task-$k.out' &&
             grep -q '^anpham batch: 3 jobs: 3 done, 0 up to date, 0 failed .*manifest $out/manifest-$k-of-4.json\$' '$t/work/task-$k.out'"
done
[ "$status" -eq 0 ] || tail -n 5 "$t"/work/task-*.out

"$anpham" manifest merge "$out"/manifest-{0,1,2,3}-of-4.json -o "$t/merged.json" 2>"$t/merge.err"
check "anpham manifest merge joins the four (exit 0, no message)" test $? -eq 0 -a ! -s "$t/merge.err"
shard_checks "$out" "$t/merged.json"

finish
