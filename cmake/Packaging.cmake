# deb and rpm packages with CPack: `cpack -G DEB` / `cpack -G RPM` in the build directory.
# Debian reads its environment file from /etc/default, RPM distributions from /etc/sysconfig;
# each package carries only its own (components selected per generator in CPackProjectConfig).

install(FILES ${PROJECT_SOURCE_DIR}/packaging/systemd/vnf-agent.service
        DESTINATION lib/systemd/system COMPONENT agent)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/config/config.yaml
        DESTINATION /etc/vnf-agent COMPONENT agent)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/default/vnf-agent
        DESTINATION /etc/default COMPONENT deb_env)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/default/vnf-agent
        DESTINATION /etc/sysconfig COMPONENT rpm_env)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/metrics.md
              ${PROJECT_SOURCE_DIR}/docs/identity.md ${PROJECT_SOURCE_DIR}/docs/hook.md
              ${PROJECT_SOURCE_DIR}/docs/operations.md ${PROJECT_SOURCE_DIR}/packaging/copyright
              ${PROJECT_SOURCE_DIR}/packaging/config/web.yml.example
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT agent)

# Debian wants a compressed changelog next to the copyright file.
set(changelog ${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian)
file(WRITE ${changelog} "vnf-agent (${PROJECT_VERSION}-1) unstable; urgency=medium\n\n  * Package built from ${VNF_AGENT_REVISION}.\n\n -- vnf-agent team <team@vnf-agent.example.org>  Wed, 25 Nov 2026 00:00:00 +0000\n")
add_custom_command(OUTPUT ${changelog}.gz COMMAND gzip -9nkf ${changelog} DEPENDS ${changelog})
add_custom_target(debian_changelog ALL DEPENDS ${changelog}.gz)
install(FILES ${changelog}.gz DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT deb_env)

set(CPACK_PACKAGE_NAME vnf-agent)
set(CPACK_PACKAGE_VENDOR "vnf-agent")
set(CPACK_PACKAGE_CONTACT "vnf-agent team <team@vnf-agent.example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Per-container CPU, memory and packet metrics for VNFs")
set(CPACK_PACKAGE_DESCRIPTION "vnf-agent counts CPU time, run-queue wait, memory and packets (forwarded\ntraffic included) for every VNF container on a host with eBPF probes,\nlabels them with a stable VNF identity and serves them to Prometheus on\none port, with an orchestrator hook that keeps durable scaling counters.")
set(CPACK_RPM_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_RPM_COMPONENT_INSTALL ON)
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_SOURCE_DIR}/cmake/CPackProjectConfig.cmake)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/deb/postinst ${PROJECT_SOURCE_DIR}/packaging/deb/prerm
    ${PROJECT_SOURCE_DIR}/packaging/deb/postrm ${PROJECT_SOURCE_DIR}/packaging/deb/conffiles)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/deb/lintian/vnf-agent
        DESTINATION share/lintian/overrides COMPONENT deb_env)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_RELEASE 1)
set(CPACK_RPM_PACKAGE_LICENSE "Apache-2.0 AND (LGPL-2.1-only OR BSD-2-Clause)")
set(CPACK_RPM_PACKAGE_GROUP "System Environment/Daemons")
set(CPACK_RPM_SPEC_MORE_DEFINE "%define packager ${CPACK_PACKAGE_CONTACT}")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_PACKAGE_REQUIRES_PRE "shadow-utils")
set(CPACK_RPM_POST_INSTALL_SCRIPT_FILE ${PROJECT_SOURCE_DIR}/packaging/rpm/post.sh)
set(CPACK_RPM_PRE_UNINSTALL_SCRIPT_FILE ${PROJECT_SOURCE_DIR}/packaging/rpm/preun.sh)
set(CPACK_RPM_POST_UNINSTALL_SCRIPT_FILE ${PROJECT_SOURCE_DIR}/packaging/rpm/postun.sh)
set(CPACK_RPM_USER_FILELIST "%config(noreplace) /etc/vnf-agent/config.yaml"
                            "%config(noreplace) /etc/sysconfig/vnf-agent")
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION /etc /etc/default /etc/sysconfig /usr/lib/systemd
                                                  /usr/lib/systemd/system /usr/share/doc /usr/sbin
                                                  /usr/share/lintian /usr/share/lintian/overrides)

include(CPack)
