#!/bin/sh
# Bench, test guest side: 10^5 echoes through khcl's echo VSP (mixed
# sizes, 32 in flight, content checked by the client), then the result
# line of khcl_echo_client: "... ok=N bad=0 elapsed_us=T rtt_us=R".
drv=/sys/bus/vmbus/drivers/khcl_echo_client
N=${ECHO_N:-100000}
i=0
until [ -e "$drv/run" ]; do
	i=$((i + 1))
	[ $i -ge 120 ] && { echo "FAIL no echo client"; exit 1; }
	sleep 0.5
done
echo "$N" >"$drv/run" || exit 1
echo "RESULT $(cat "$drv/result")"
