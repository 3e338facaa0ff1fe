# The Debian package (issue 21): `make package` = cpack -G DEB in build/. It ships the server and the
# operator's client stripped, their debug symbols apart (haven-dbgsym), the systemd units, the docs and the
# nginx example; packaging/debian/ holds the maintainer scripts (the haven account, /var/lib/haven 0700;
# never `haven init`, whose passphrase only the administrator may see).
include(GNUInstallDirs)

install(TARGETS haven haven-operator RUNTIME DESTINATION bin)
install(FILES packaging/systemd/haven.service packaging/systemd/haven-backup.service packaging/systemd/haven-backup.timer
        DESTINATION lib/systemd/system PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(FILES README.md docs/OPERATIONS.md docs/SECURITY.md docs/EMERGENCY.md packaging/debian/README.Debian
        DESTINATION share/doc/haven)
install(FILES docs/nginx/haven.conf DESTINATION share/doc/haven/nginx)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME haven)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Haven")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-hosted platform for associations receiving people fleeing persecution")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "Haven runs a welcome centre day to day and keeps an emergency network ready, built so that a seized\n"
    "server gives away as little as possible: a sealed vault, encrypted fields, a signed audit chain.\n"
    "This package holds the server (haven), the operator's client (haven-operator) and systemd units.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR})
set(CPACK_PACKAGE_FILE_NAME haven) # overridden by DEB-DEFAULT below

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Haven maintainers <root@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# adduser for the postinst; the libraries' own dependencies are computed by dpkg-shlibdeps and appended.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "nginx-light | nginx")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql")
# Stripped binaries in haven, their DWARF in haven-dbgsym (.ddeb, /usr/lib/debug/.build-id/...): the DEB
# generator strips them itself. CPACK_STRIP_FILES must stay off, or nothing is left for the dbgsym package.
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/preinst
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
