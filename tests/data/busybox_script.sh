# Run by Debian's busybox sh on Ringlet (tests/system/test_busybox.py). Every result line is
# "R<n>: <value>" with R and n put together at run time, so none of them appears in this text
# (which the boot report prints) before the shell computes it.
r() { printf 'R%d: %s\n' "$1" "$2"; }
r 1 "$((6 * 7))"
r 2 "$(seq 10 | awk '{s += $1} END {print s}')"
r 3 "$(printf 'b\na\nc\na\n' | sort | uniq | tr '\n' ,)"
r 4 "$(echo one:two:three | cut -d: -f2 | tr a-z A-Z)"
r 5 "$(echo hello | md5sum | cut -c1-12)"
r 6 "$(expr 7 '*' 6 + 1)"
r 7 "$(seq 100 | head -3 | tail -1)"
r 8 "$(( $(printf 'x\ny\nz\n' | wc -l) ))"
r 9 "$(printf 'apple\nbanana\ncherry\n' | grep -c an)"
r 10 "$(echo sed-test | sed 's/-test/ worked/')"
r 11 "$(basename /usr/share/doc.txt .txt) $(dirname /usr/share/doc.txt)"
r 12 "$(ls /bin | grep -c .)"
r 13 "$(stat -c %s /etc/motd) $(( $(cat /etc/motd | wc -c) ))"
if test -d /bin && [ -f /etc/motd ]; then r 14 "tests pass"; fi
f() { local n="$1"; echo $((n * n)); }
r 15 "$(f 12)"
r 16 "$(cat <<END
heredoc $((2 + 3))
END
)"
(exit 3); r 17 "subshell status $?"
(sleep 1; exit 4) & job=$!
wait $job; r 18 "background $?"
start=$(date +%s); sleep 1; r 19 "slept $(( $(date +%s) - start >= 1 ))"
r 20 "$(printf '%s\n' c a b | sort -r | head -1)$(echo racecar | rev)"
trap 'r 21 "trap on exit"' EXIT
