getent group vnf-agent >/dev/null || groupadd --system vnf-agent
getent passwd vnf-agent >/dev/null || useradd --system --gid vnf-agent --no-create-home \
    --home-dir /var/lib/vnf-agent --shell /sbin/nologin --comment vnf-agent vnf-agent
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || :
    if [ "$1" -eq 1 ]; then
        systemctl enable --now vnf-agent.service >/dev/null 2>&1 || :
    else
        systemctl try-restart vnf-agent.service >/dev/null 2>&1 || :
    fi
fi
