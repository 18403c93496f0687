# Evaluated by cpack per generator: each package takes only its own environment file.
if(CPACK_GENERATOR STREQUAL "DEB")
  set(CPACK_COMPONENTS_ALL agent deb_env)
elseif(CPACK_GENERATOR STREQUAL "RPM")
  set(CPACK_COMPONENTS_ALL agent rpm_env)
endif()
