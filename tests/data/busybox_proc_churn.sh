# /proc read while processes come and go (tests/system/test_busybox_proc.py): short-lived
# children appear and vanish while ps, top and cat read every PID's files, and a reader
# holds a dying process's files open across its end.
i=0
while [ $i -lt 40 ]; do
    sleep 0 & sleep 0 & true &
    ps > /dev/null
    cat /proc/[0-9]*/stat /proc/[0-9]*/status /proc/[0-9]*/cmdline > /dev/null 2>&1
    ls -l /proc/[0-9]*/fd/ > /dev/null 2>&1
    i=$((i + 1))
done
sleep 1 &
exec 3< /proc/$!/status
wait
cat <&3 > /dev/null; echo "read after exit: $?"
exec 3<&-
wait
top -b -n1 > /dev/null
echo "churn ""done $i"
